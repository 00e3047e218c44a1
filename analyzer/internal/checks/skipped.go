package checks

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/flow"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
)

// A skipped removal is the closed check's close function that forgets its
// own delete on a branch. A function that deletes a parameter from an
// index on some path, and closes it, is that object's close: the flow
// starts it with the object in the index (events.Seed), so a path that
// closes it and returns without the delete leaves it there. A branch on
// the object's kind, mode or state is no excuse. These are: the repeat
// call of an idempotent close (the branch tests a field the function
// itself sets: the first call did the delete), a branch the caller
// decides (a parameter that says whether the object is still
// registered), a branch on a lookup (the object was not found there),
// and an index a sweep empties of what such paths leave (the reporter
// drops those, as for every closed report).

// skipped judges a seeded fact f still held where c's path leaves the
// function.
func skipped(fe *events.FnEvents, s *flow.State, f flow.InFact, c flow.CloseRec, rep Reporter) {
	if c.Ev.Async() || excused(fe, s, f) {
		return
	}
	rep.Skipped(fe, f, c)
}

// excused reports whether a condition known on the path explains why it
// does not delete: the object's own close was already done, the caller
// decides, or the object was not found.
func excused(fe *events.FnEvents, s *flow.State, f flow.InFact) bool {
	var stores map[*types.Var]bool
	return s.Conds.AnyBranch(func(ifi *ssa.If, _ bool) bool {
		for _, v := range model.CondLeaves(ifi.Cond, 4) {
			switch x := v.(type) {
			case *ssa.Parameter:
				if !isObjectParam(fe, x, f.Obj) {
					return true // the caller says
				}
			case *ssa.Lookup:
				return true // not found there
			default:
				if fv := model.TestedField(x); fv != nil {
					if stores == nil {
						stores = model.StoredFields(fe.M.Fn)
					}
					if stores[fv] {
						return true // a flag the function sets: the repeat call of an idempotent close
					}
				}
			}
		}
		return false
	})
}

// isObjectParam reports whether p is the parameter holding obj.
func isObjectParam(fe *events.FnEvents, p *ssa.Parameter, obj int) bool {
	for _, o := range fe.M.Objects(p) {
		if o == obj {
			return true
		}
	}
	return false
}
