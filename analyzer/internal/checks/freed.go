package checks

import (
	"go/token"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/flow"
)

// freed is the freed check, at each free of obj by ev: the free checks
// the present, so every index still holding obj there is a defect. An
// entry under the object's identity is not (a key naming freed memory
// points at nothing), nor an insert made by the very call that frees, on
// another of its paths (the callee checked both).
func freed(fe *events.FnEvents, s *flow.State, obj int, ev *events.Event, deferAt token.Pos, rep Reporter) {
	for _, f := range s.Facts {
		if f.Obj == obj && !f.Site.Ident && !sameCall(f.Site.Ev, ev) { // a key naming freed memory points at nothing
			rep.Freed(fe, f, ev, deferAt)
		}
	}
}
