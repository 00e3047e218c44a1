package checks

import (
	"go/token"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/flow"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// freed is the freed check, at each free of obj by ev: the free checks
// the present, so every index still holding obj there is a defect. An
// entry under the object's identity is not (a key naming freed memory
// points at nothing), nor an insert made by the very call that frees, on
// another of its paths (the callee checked both).
func freed(fe *events.FnEvents, s *flow.State, obj int, ev *events.Event, deferAt token.Pos, rep Reporter) {
	for _, f := range s.Facts {
		if f.Obj == obj && !f.Site.Ident && !f.Site.Seeded && !sameCall(f.Site.Ev, ev) { // a key naming freed memory points at nothing
			rep.Freed(fe, f, ev, deferAt)
		}
	}
}

var freedDoc = Doc{
	Check: rules.CheckFreed,
	Title: "Object freed while still in an index",
	Reports: "An object is handed back to a pool or free list (a `sync.Pool`, a declared free function, " +
		"a function whose body frees it) while a long-lived index still holds it: the next `Get` hands " +
		"its memory out again while lookups in the index still find it. Reported at the free, with " +
		"the insert and the calls it went through.",
	Details: "The free checks the present: every index that holds the object where it is freed is a defect, " +
		"whatever happens after. An entry under the object's identity (a key naming it, not a pointer " +
		"to its memory) is not, and neither is an insert made by the very call that frees, on another " +
		"of its paths.",
	Example: `
package example

import "sync"

type Conn struct{ id int }

type Server struct {
	conns map[int]*Conn
	pool  sync.Pool
}

func (s *Server) drop(id int) { // want drop:"delete _ from Server.conns"
	c := s.conns[id]
	s.pool.Put(c) // want "c freed by s.pool.Put while still in index Server.conns"
	delete(s.conns, id)
}
`,
	Report: "example.go:14:12: c freed by s.pool.Put while still in index Server.conns (read from it at example.go:13); delete it from Server.conns first [freed]",
	Fix:    "delete the object from every index that holds it before the free, on every path; a delete after the free does not repair the path.",
}
