package analyzer

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// passEnv is what one pass knows while it analyses its functions.
type passEnv struct {
	pass     *analysis.Pass
	cfg      Config
	src      *sourceIndex
	byFn     map[*ssa.Function]*Summary // this package's functions and closures
	byObj    map[*types.Func]*Summary
	declared map[*types.Func]*Summary // from directives: these override bodies
	// unlinkers maps a node pointer type to a method that unlinks it; made
	// on the first report that needs it.
	unlinkers map[string]*types.Func
	// callbacks maps a closure passed to (*sync.Map).Range to the index it walks.
	callbacks map[*ssa.Function]IndexID
	// delegated holds, per index, the types of objects that their own
	// goroutine or close callback deletes from it.
	delegated delegations
	// soleImpl memoizes soleImplementation per interface.
	soleImpl map[*types.Named]types.Type
}

const maxRounds = 4 // rounds of a recursion cycle towards its fixpoint

func run(pass *analysis.Pass, cfg Config) (any, error) {
	info := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
	env := &passEnv{
		pass:      pass,
		cfg:       cfg,
		src:       newSourceIndex(pass),
		byFn:      make(map[*ssa.Function]*Summary),
		byObj:     make(map[*types.Func]*Summary),
		declared:  make(map[*types.Func]*Summary),
		delegated: make(delegations),
		soleImpl:  make(map[*types.Named]types.Type),
	}
	ops, ign := readDirectives(pass, cfg)
	for fn, o := range ops {
		env.declared[fn] = declaredSummary(o)
		env.byObj[fn] = env.declared[fn]
	}
	env.callbacks = rangeCallbacks(info.SrcFuncs, cfg)
	rep := newReporter(pass, ign, cfg.Checks, env.delegated)
	graph := newCallGraph(info.SrcFuncs, env.invokeFunc)
	for _, scc := range graph.sccs {
		env.analyzeSCC(graph, scc, rep)
	}
	env.noteCloseHooks(info.SrcFuncs)
	env.exportFacts()
	rep.flush()
	return nil, nil
}

// analyzeSCC analyses a set of mutually recursive functions to a fixpoint
// of their summaries: a function is analysed again when a callee's summary
// changed, at most maxRounds times. Each analysis replaces the function's
// reports, so the last one, made with the final summaries, is what counts.
func (env *passEnv) analyzeSCC(graph *callGraph, scc []*ssa.Function, rep *reporter) {
	if !graph.recursive(scc) {
		env.analyze(scc[0], rep)
		return
	}
	in := make(map[*ssa.Function]bool, len(scc))
	for _, fn := range scc {
		in[fn] = true
	}
	callers := make(map[*ssa.Function][]*ssa.Function)
	for _, fn := range scc {
		for _, g := range graph.succs[fn] {
			if in[g] {
				callers[g] = append(callers[g], fn)
			}
		}
	}
	work := append([]*ssa.Function(nil), scc...)
	queued := make(map[*ssa.Function]bool, len(scc))
	for _, fn := range scc {
		queued[fn] = true
	}
	rounds := make(map[*ssa.Function]int)
	for len(work) > 0 {
		fn := work[0]
		work = work[1:]
		queued[fn] = false
		rounds[fn]++
		if !env.analyze(fn, rep) {
			continue
		}
		for _, c := range callers[fn] {
			if !queued[c] && rounds[c] <= maxRounds {
				queued[c] = true
				work = append(work, c)
			}
		}
	}
}

// analyze runs the dataflow over fn and records its summary; it reports
// whether the summary changed.
func (env *passEnv) analyze(fn *ssa.Function, rep *reporter) bool {
	rep.forget(fn)
	s := &Summary{}
	full, deletes := env.scan(fn)
	if _, isCallback := env.callbacks[fn]; isCallback || full {
		fe := buildEvents(env, newFuncModel(fn))
		if id, ok := env.callbacks[fn]; ok {
			fe.callbackReads(id)
		}
		sz := newSummarizer(fe, rep)
		fe.prune(sz.operands)
		if fe.needsFlow() {
			fe.findKills()
			fe.findTestedPhis()
			fe.findMissTests()
			env.solve(fe, sz)
		} else {
			sz.withoutFlow()
		}
		s = sz.summary()
	} else if len(deletes) > 0 {
		s = &Summary{Effects: deletes} // it only passes on its callees' deletes by key
		s.normalize()
	}
	s.Concrete = concreteResults(fn)
	obj, _ := fn.Object().(*types.Func)
	if d, ok := env.declared[obj]; ok && obj != nil {
		s = s.with(d) // a declaration adds to what the body does
	}
	old, seen := env.byFn[fn]
	env.byFn[fn] = s
	if obj != nil {
		env.byObj[obj] = s
	}
	if !seen {
		return len(s.Effects) > 0 || len(s.Concrete) > 0 // callers analysed earlier had no summary
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
	return env.funcSummary(cs.funcObject())
}

// funcSummary returns the summary of a declared function or method.
func (env *passEnv) funcSummary(obj *types.Func) *Summary {
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
		if (len(s.Effects) > 0 || len(s.Concrete) > 0) && obj.Pkg() == env.pass.Pkg {
			env.pass.ExportObjectFact(obj, env.exportable(s, obj.Exported()))
		}
	}
}

// exportable drops what only this package can use (captured variables)
// and, for functions other packages can call, writes positions out, since
// another process cannot read a token.Pos.
func (env *passEnv) exportable(s *Summary, exported bool) *Summary {
	out := &Summary{Concrete: s.Concrete}
	for _, e := range s.Effects {
		if e.Object.Base != FreeVarOperand && e.Index.Kind != FreeVarIndex {
			if exported {
				e.Steps = env.withWhere(e.Steps)
			}
			out.Effects = append(out.Effects, e)
		}
	}
	return out
}

func (env *passEnv) withWhere(steps []Step) []Step {
	out := make([]Step, len(steps))
	for i, s := range steps {
		if s.Where == "" {
			s.Where = env.where(s.pos)
		}
		out[i] = s
	}
	return out
}

func (env *passEnv) where(pos token.Pos) string { return env.src.where(pos) }

// scan is a quick look at fn's instructions. full says some of them can
// be lifecycle operations that need the dataflow; otherwise deletes are
// the deletes by key of package-level or field indexes fn performs, which
// need no dataflow: most functions cost one scan.
func (env *passEnv) scan(fn *ssa.Function) (full bool, deletes []Effect) {
	if fn.Signature.Recv() != nil && closeNamed(fn.Name()) {
		return true, nil // a close method: what it closes and unlinks matters
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.MapUpdate:
				return true, nil
			case *ssa.Lookup:
				if holdsObjects(x.X.Type()) {
					return true, nil
				}
			case *ssa.Next:
				if r, ok := x.Iter.(*ssa.Range); ok && holdsObjects(r.X.Type()) {
					return true, nil
				}
			case *ssa.Store:
				if _, isMap := x.Val.Type().Underlying().(*types.Map); isMap {
					return true, nil
				}
			case *ssa.UnOp:
				if fa, ok := x.X.(*ssa.FieldAddr); ok && isNamed(fa.X.Type(), "container/list", "Element") {
					return true, nil
				}
			case ssa.CallInstruction:
				ds, ok := env.callDeletes(x.Common())
				if !ok {
					return true, nil
				}
				deletes = append(deletes, ds...)
			}
		}
	}
	return false, deletes
}

// callDeletes returns the deletes by key of package-level or field indexes
// a call performs; ok is false when it may do more than that.
func (env *passEnv) callDeletes(c *ssa.CallCommon) (ds []Effect, ok bool) {
	if b, isBuiltin := c.Value.(*ssa.Builtin); isBuiltin {
		if b.Name() == "close" {
			return nil, false
		}
		if b.Name() != "delete" && b.Name() != "clear" {
			return nil, true
		}
		if _, isMap := c.Args[0].Type().Underlying().(*types.Map); !isMap || !env.cfg.Rules.MapKind() {
			return nil, true
		}
		id, direct := directIndex(c.Args[0])
		if !direct {
			return nil, false
		}
		return []Effect{{Op: rules.Delete, Index: id}}, true
	}
	cs := callSite{common: c}
	if c.IsInvoke() {
		if cs.ruled(env.cfg.Rules) != nil || closeMethods[c.Method.Name()] {
			return nil, false
		}
		return keyDeletes(env.invokeSummary(c))
	}
	switch v := c.Value.(type) {
	case *ssa.Function:
		cs.callee = v
	case *ssa.MakeClosure:
		cs.callee, _ = v.Fn.(*ssa.Function)
	default:
		return nil, true
	}
	if cs.ruled(env.cfg.Rules) != nil || cs.callee != nil && strings.HasPrefix(cs.callee.Synthetic, "bound method wrapper") {
		return nil, false
	}
	if cs.callee != nil && cs.callee.Signature.Recv() != nil && closeMethods[cs.callee.Name()] {
		return nil, false
	}
	return keyDeletes(env.summaryOf(cs))
}

// keyDeletes returns the deletes by key of package-level or field indexes
// a summary makes; ok is false when it does more than that.
func keyDeletes(s *Summary) (ds []Effect, ok bool) {
	if s == nil {
		return nil, true
	}
	for _, e := range s.Effects {
		if e.Op != rules.Delete || e.Object.Base != AnyObject || e.Key != nil || !e.Index.exported() {
			return nil, false
		}
		ds = append(ds, Effect{Op: rules.Delete, Index: e.Index})
	}
	return ds, true
}

// invokeFunc returns the method an interface call reaches when its
// interface has a sole implementation here, for the call graph.
func (env *passEnv) invokeFunc(c *ssa.CallCommon) *ssa.Function {
	t := env.soleImplementation(c.Value.Type())
	if t == nil {
		return nil
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, c.Method.Pkg(), c.Method.Name())
	fn, ok := obj.(*types.Func)
	if !ok || c.Value.Parent() == nil {
		return nil
	}
	return c.Value.Parent().Prog.FuncValue(fn)
}

// invokeSummary returns the summary of the one method an interface call
// can reach, when its interface has a sole implementation here.
func (env *passEnv) invokeSummary(c *ssa.CallCommon) *Summary {
	t := env.soleImplementation(c.Value.Type())
	if t == nil {
		return nil
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, c.Method.Pkg(), c.Method.Name())
	if fn, ok := obj.(*types.Func); ok {
		return env.funcSummary(fn.Origin())
	}
	return nil
}

// holdsObjects reports whether a map's keys or values can be objects.
func holdsObjects(t types.Type) bool {
	m, ok := t.Underlying().(*types.Map)
	return ok && (isRef(m.Key()) || isRef(m.Elem()))
}

// solve runs the dataflow of fe for sz: once over every object, which is
// exact when no block's states overflow (most functions); otherwise once
// per object (see fnEvents.runs), so that independent objects do not
// multiply each other's states and the bound is met, if at all, only
// within one object's properties.
func (env *passEnv) solve(fe *fnEvents, sz *summarizer) {
	if fl := newFlow(fe, nil); !fl.fixpoint() {
		fl.observe(sz)
		sz.endRun()
		return
	}
	for _, run := range fe.runs() {
		newFlow(fe, run).solve(sz)
		sz.endRun()
	}
}
