package analyzer

import (
	"go/types"
	"sort"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// Unlinker returns a method of the node type ptrType (a pointer) that
// deletes its receiver from whatever index holds it, from this package's
// summaries or the facts of the packages it imports; nil if there is none.
func (env *passEnv) Unlinker(ptrType string) *types.Func {
	if env.unlinkers == nil {
		env.unlinkers = env.findUnlinkers()
	}
	return env.unlinkers[ptrType]
}

func (env *passEnv) findUnlinkers() map[string]*types.Func {
	out := make(map[string]*types.Func)
	consider := func(fn *types.Func, s *facts.Summary) {
		recv := fn.Signature().Recv()
		if recv == nil || !unlinksParam(s, 0) {
			return
		}
		t := types.TypeString(recv.Type(), nil)
		if old, ok := out[t]; !ok || fn.Name() < old.Name() {
			out[t] = fn // the same choice on every run
		}
	}
	for fn, s := range env.byObj {
		consider(fn, s)
	}
	all := env.pass.AllObjectFacts()
	sort.Slice(all, func(i, j int) bool { return all[i].Object.Pos() < all[j].Object.Pos() })
	for _, f := range all {
		if fn, ok := f.Object.(*types.Func); ok {
			if s, ok := f.Fact.(*Summary); ok && fn.Exported() {
				consider(fn, (*facts.Summary)(s))
			}
		}
	}
	return out
}

// unlinksParam reports whether s deletes parameter i itself from whatever
// index holds it.
func unlinksParam(s *facts.Summary, i int) bool {
	for _, e := range s.Effects {
		if e.Op == rules.Delete && e.Index.Kind == 0 && e.Object == (facts.Operand{Base: facts.ParamOperand, Pos: i}) {
			return true
		}
	}
	return false
}
