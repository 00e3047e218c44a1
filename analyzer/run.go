package analyzer

import (
	"go/types"
	"maps"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/checks"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/flow"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/report"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/summary"
)

// passEnv is what one pass knows while it analyses its functions.
type passEnv struct {
	pass     *analysis.Pass
	cfg      Config
	src      *report.SourceIndex
	byFn     map[*ssa.Function]*facts.Summary // this package's functions and closures
	byObj    map[*types.Func]*facts.Summary
	declared map[*types.Func]*facts.Summary // from directives: these override bodies
	// unlinkers maps a node pointer type to a method that unlinks it; made
	// on the first report that needs it.
	unlinkers map[string]*types.Func
	// callbacks maps a closure passed to (*sync.Map).Range to the index it walks.
	callbacks map[*ssa.Function]facts.IndexID
	// delegated holds, per index, the types of objects that their own
	// goroutine or close callback deletes from it.
	delegated events.Delegations
	// closeExits holds the returns of the package's close methods, for
	// the unregister check.
	closeExits map[*ssa.Function][]checks.CloseExit
	// std memoizes Standard per package path.
	std map[string]bool
	// siblings collects the undo check's evidence across functions.
	siblings *checks.Siblings
	// pkgDeleted holds the indexes some function of the package deletes
	// from itself, known before any is analysed; swept, those of them it
	// sweeps (deletes from in a loop, under a condition).
	pkgDeleted map[facts.IndexID]bool
	swept      map[facts.IndexID]bool
	// soleImpl memoizes soleImplementation per interface.
	soleImpl map[*types.Named]types.Type
	// ownImpl memoizes whether this package implements an interface of
	// another (interfaceSummary).
	ownImpl map[*types.Interface]bool
}

const maxRounds = 4 // rounds of a recursion cycle towards its fixpoint

func run(pass *analysis.Pass, cfg Config) (any, error) {
	info := pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA)
	env := &passEnv{
		pass:      pass,
		cfg:       cfg,
		src:       report.NewSourceIndex(pass),
		byFn:      make(map[*ssa.Function]*facts.Summary),
		byObj:     make(map[*types.Func]*facts.Summary),
		declared:  make(map[*types.Func]*facts.Summary),
		delegated: make(events.Delegations),
		soleImpl:  make(map[*types.Named]types.Type),
		ownImpl:   make(map[*types.Interface]bool),
		siblings:  checks.NewSiblings(),

		pkgDeleted: make(map[facts.IndexID]bool),
		swept:      make(map[facts.IndexID]bool),

		closeExits: make(map[*ssa.Function][]checks.CloseExit),
		std:        make(map[string]bool),
	}
	ops, ign := readDirectives(pass, cfg)
	for fn, o := range ops {
		env.declared[fn] = declaredSummary(o)
		env.byObj[fn] = env.declared[fn]
	}
	env.callbacks = events.RangeCallbacks(info.SrcFuncs, cfg.Rules)
	rep := report.New(pass, env.src, env, ign, cfg.Checks, env.delegated)
	rep.Exclude(cfg.Excluded)
	rep.Baseline(cfg.Baseline, cfg.ModuleRoot)
	for _, fn := range info.SrcFuncs {
		deleted, swept := events.DirectDeletes(env, fn)
		for _, id := range deleted {
			env.pkgDeleted[id] = true
		}
		for _, id := range swept {
			env.swept[id] = true
		}
	}
	graph := newCallGraph(info.SrcFuncs, env.invokeFunc)
	for _, scc := range graph.sccs {
		env.analyzeSCC(graph, scc, rep)
	}
	// Indexes swept directly or through a method keep closed objects on
	// purpose; the evidence checks keep to the direct sweeps (a failing
	// path's leak is one even where a sweep of expired entries exists).
	retained := maps.Clone(env.swept)
	for _, fn := range info.SrcFuncs {
		for _, id := range events.SweptByCalls(env, fn) {
			retained[id] = true
		}
	}
	rep.Retained(retained)
	env.siblings.Finish(rep, env.swept)
	env.noteCloseHooks(info.SrcFuncs)
	env.partial(info.SrcFuncs, rep)
	env.staleKeys(info.SrcFuncs, rep)
	env.bulk(info.SrcFuncs, rep)
	env.unregister(rep)
	env.exportFacts()
	rep.Flush()
	return env.learned(), nil
}

// analyzeSCC analyses a set of mutually recursive functions to a fixpoint
// of their summaries: a function is analysed again when a callee's summary
// changed, at most maxRounds times. Each analysis replaces the function's
// reports, so the last one, made with the final summaries, is what counts.
func (env *passEnv) analyzeSCC(graph *callGraph, scc []*ssa.Function, rep *report.Reporter) {
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
func (env *passEnv) analyze(fn *ssa.Function, rep *report.Reporter) bool {
	rep.Forget(fn)
	s := &facts.Summary{}
	full, deletes := events.Scan(env, fn)
	if _, isCallback := env.callbacks[fn]; isCallback || full {
		fe := events.Build(env, model.NewFuncModel(fn))
		if id, ok := env.callbacks[fn]; ok {
			fe.CallbackReads(id)
		}
		checks.Dropped(fe, rep)
		checks.Served(fe, rep)
		sz := summary.New(fe)
		fe.Prune(sz.Operands(), env.pkgDeleted)
		if fe.NeedsFlow() {
			fe.FindKills()
			fe.FindTestedPhis()
			fe.FindMissTests()
			fe.FindSeeds()
			obs := checks.NewObserver(fe, rep, sz, env.siblings)
			solve(fe, obs, sz)
			obs.Finish()
			env.closeExits[fn] = obs.CloseExits()
		} else {
			sz.WithoutFlow()
		}
		s = sz.Summary()
	} else if len(deletes) > 0 {
		s = &facts.Summary{Effects: deletes} // it only passes on its callees' deletes by key
		s.Normalize()
	}
	s.Concrete = events.ConcreteResults(fn)
	s.Runs = events.RunsParams(env, fn)
	obj, _ := fn.Object().(*types.Func)
	if d, ok := env.declared[obj]; ok && obj != nil {
		s = s.With(d) // a declaration adds to what the body does
	}
	old, seen := env.byFn[fn]
	env.byFn[fn] = s
	if obj != nil {
		env.byObj[obj] = s
	}
	if !seen {
		return !s.Empty() // callers analysed earlier had no summary
	}
	return !old.Equal(s)
}

// solve runs the dataflow of fe: once over every object, which is exact
// when no block's states overflow (most functions); otherwise once per
// object (see events.FnEvents.Runs), so that independent objects do not
// multiply each other's states and the bound is met, if at all, only
// within one object's properties.
func solve(fe *events.FnEvents, obs flow.Observer, sz *summary.Summarizer) {
	if fl := flow.New(fe, nil); !fl.Fixpoint() {
		fl.Observe(obs)
		sz.EndRun()
		return
	}
	for _, run := range fe.Runs() {
		flow.New(fe, run).Solve(obs)
		sz.EndRun()
	}
}
