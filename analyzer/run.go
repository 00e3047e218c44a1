package analyzer

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"
)

// passEnv is what one pass knows while it analyses its functions.
type passEnv struct {
	pass     *analysis.Pass
	cfg      Config
	src      *sourceIndex
	byFn     map[*ssa.Function]*Summary // this package's functions and closures
	byObj    map[*types.Func]*Summary
	declared map[*types.Func]*Summary // from directives: these override bodies
}

const maxRounds = 4 // rounds of a recursion cycle towards its fixpoint

func run(pass *analysis.Pass, cfg Config) (any, error) {
	info := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
	env := &passEnv{
		pass:     pass,
		cfg:      cfg,
		src:      newSourceIndex(pass),
		byFn:     make(map[*ssa.Function]*Summary),
		byObj:    make(map[*types.Func]*Summary),
		declared: make(map[*types.Func]*Summary),
	}
	ops, ign := readDirectives(pass, cfg)
	for fn, o := range ops {
		env.declared[fn] = declaredSummary(o)
		env.byObj[fn] = env.declared[fn]
	}
	rep := newReporter(pass, ign)
	for _, scc := range callOrder(info.SrcFuncs) {
		env.analyzeSCC(scc, rep)
	}
	env.exportFacts()
	rep.flush()
	return nil, nil
}

// analyzeSCC analyses a set of mutually recursive functions: first to a
// fixpoint of their summaries, silently, then once more with reports.
func (env *passEnv) analyzeSCC(scc []*ssa.Function, rep *reporter) {
	if len(scc) > 1 || callsItself(scc[0]) {
		for round := 0; round < maxRounds; round++ {
			changed := false
			for _, fn := range scc {
				changed = env.analyze(fn, nil) || changed
			}
			if !changed {
				break
			}
		}
	}
	for _, fn := range scc {
		env.analyze(fn, rep)
	}
}

// analyze runs the dataflow over fn and records its summary; it reports
// whether the summary changed.
func (env *passEnv) analyze(fn *ssa.Function, rep *reporter) bool {
	m := newFuncModel(fn)
	fe := buildEvents(env, m)
	sz := newSummarizer(fe, rep)
	newFlow(fe).solve(sz)
	s := sz.summary()
	obj, _ := fn.Object().(*types.Func)
	if d, ok := env.declared[obj]; ok && obj != nil {
		s = d
	}
	old := env.byFn[fn]
	env.byFn[fn] = s
	if obj != nil {
		env.byObj[obj] = s
	}
	return !old.equal(s)
}

// summaryOf returns the summary of the function a call reaches, from this
// package's analysis or from the fact its own package exported.
func (env *passEnv) summaryOf(cs callSite) *Summary {
	fn := cs.callee
	if fn == nil {
		return nil
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if s, ok := env.byFn[fn]; ok {
		return s
	}
	obj := cs.funcObject()
	if obj == nil {
		return nil
	}
	if obj.Pkg() == env.pass.Pkg {
		return env.byObj[obj]
	}
	var s Summary
	if env.pass.ImportObjectFact(obj, &s) {
		return &s
	}
	return nil
}

// exportFacts exports the summaries of the package's declared functions
// that do something, for the packages that import it.
func (env *passEnv) exportFacts() {
	for obj, s := range env.byObj {
		if len(s.Effects) > 0 && obj.Pkg() == env.pass.Pkg {
			env.pass.ExportObjectFact(obj, exportable(s))
		}
	}
}

// exportable drops what only this package can use: captured variables.
func exportable(s *Summary) *Summary {
	out := &Summary{}
	for _, e := range s.Effects {
		if e.Object.Base != FreeVarOperand && e.Index.Kind != FreeVarIndex {
			out.Effects = append(out.Effects, e)
		}
	}
	return out
}

func (env *passEnv) where(pos token.Pos) string { return env.src.where(pos) }
