package events

import (
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
)

// A function that calls a function parameter before it returns (a
// transaction helper running its body, a lock helper, a retry loop) does,
// at each call, what the function passed there does: a closure that
// registers something inside db.WithTx(func() error { ... }) registers it
// at the call to WithTx. Summaries say which parameters are run (Runs);
// the caller applies the closure's own summary at the call.

// RunsParams returns the positions (0 is a method's receiver) of fn's
// parameters of function type that fn calls, defers, or passes to a
// callee that runs them. A function started by a go statement runs later,
// concurrently: it is not run by the call.
func RunsParams(p Pass, fn *ssa.Function) []int {
	var out []int
	add := func(v ssa.Value) {
		if i := paramIndex(fn, model.Strip(v)); i >= 0 && !slices.Contains(out, i) {
			out = append(out, i)
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if _, isGo := instr.(*ssa.Go); isGo {
				continue
			}
			c := ci.Common()
			if !c.IsInvoke() {
				add(c.Value)
			}
			if !hasFuncArg(c) {
				continue
			}
			cs := NewCallSite(c, instr, c.Pos())
			for _, v := range runArgs(calleeSummary(p, cs), cs) {
				add(v)
			}
		}
	}
	slices.Sort(out)
	return out
}

// RunArguments returns the functions (closures, declared functions) that
// call c runs before it returns, by the callee's summary.
func RunArguments(p Pass, c *ssa.CallCommon, instr ssa.Instruction) []ssa.Value {
	if !hasFuncArg(c) {
		return nil
	}
	cs := NewCallSite(c, instr, c.Pos())
	return runFuncs(calleeSummary(p, cs), cs)
}

// runFuncs returns the closures and declared functions among the
// arguments of cs that its callee's summary s runs.
func runFuncs(s *facts.Summary, cs CallSite) []ssa.Value {
	var out []ssa.Value
	for _, v := range runArgs(s, cs) {
		switch f := model.Strip(v).(type) {
		case *ssa.MakeClosure, *ssa.Function:
			out = append(out, f)
		}
	}
	return out
}

// runArgs returns the actual arguments at the positions s runs.
func runArgs(s *facts.Summary, cs CallSite) []ssa.Value {
	if s == nil {
		return nil
	}
	var out []ssa.Value
	for _, pos := range s.Runs {
		if pos < len(cs.acts) {
			out = append(out, cs.acts[pos])
		}
	}
	return out
}

// calleeSummary returns the summary of what cs reaches: its callee's, or,
// through an interface, the concrete method's.
func calleeSummary(p Pass, cs CallSite) *facts.Summary {
	if s := p.SummaryOf(cs); s != nil {
		return s
	}
	return concreteSummaryOf(p, cs)
}

// hasFuncArg reports whether some argument of c is a function: most calls
// have none, and need no summary looked up.
func hasFuncArg(c *ssa.CallCommon) bool {
	for _, a := range c.Args {
		if _, ok := a.Type().Underlying().(*types.Signature); ok {
			return true
		}
	}
	return false
}

// paramIndex returns the position of v among fn's parameters, or -1.
func paramIndex(fn *ssa.Function, v ssa.Value) int {
	p, ok := v.(*ssa.Parameter)
	if !ok {
		return -1
	}
	return slices.Index(fn.Params, p)
}
