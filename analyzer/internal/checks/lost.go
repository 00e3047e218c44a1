package checks

import (
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/flow"
)

// A lost registration is the unregister check's registration whose only
// handle dies with the call. A function makes an object for the call
// (a per-call context), and a method of that object registers something
// the object then holds in a field (a reply subscription it keeps to
// unsubscribe later) in an index that outlives the call. Where the
// function returns with it still registered, and the object was never
// handed out (events.LocalHolder), nothing can unregister it any more:
// each call leaks one. It is reported at the first call that registered
// it, once per object. What the object was given when it was made (a
// field set there) is the giver's too; the standard library's own
// bookkeeping (a context's children, a template's associates) is not
// judged.

// lost judges, where a path returns, the registrations held by objects
// that die with the call.
func lost(fe *events.FnEvents, s *flow.State, ret *ssa.Return, rep Reporter) {
	for _, f := range s.Facts {
		if f.Site.Seeded || f.Site.Read || !fe.Indexes[f.Idx].Exported() || f.Site.Ev.Async() || fe.StandardIndex(f.Idx) {
			continue
		}
		if slices.ContainsFunc(s.Closed, func(c flow.CloseRec) bool { return c.Obj == f.Obj }) {
			continue // ended on the path: whether it must leave is the closed check's question
		}
		if holder, field, ok := fe.LocalHolder(f.Obj, f.Site.Ev); ok {
			rep.Lost(fe, f, holder, field)
		}
	}
}
