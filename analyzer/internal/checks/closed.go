package checks

import (
	"go/types"
	"slices"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/flow"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// A close opens an obligation (the flow records it in State.Closed): the
// object must leave the indexes that held it when it was closed before
// the path leaves the function. The closed check judges the obligations
// still open where a path returns.

// closed is the closed check where a path leaves the function: it
// reports, for each object closed on the path, each index that this
// function can see still holding it.
func closed(fe *events.FnEvents, s *flow.State, rep Reporter) {
	for _, c := range s.Closed {
		if !c.Maybe {
			closedAt(fe, s, c, rep)
		}
	}
}

// closedAt reports each index that this function can see still holding
// the object c closed. An insert made by the very call that closes (on
// another of its paths) is the callee's to check: it saw both.
func closedAt(fe *events.FnEvents, s *flow.State, c flow.CloseRec, rep Reporter) {
	for _, f := range s.Facts {
		if f.Obj != c.Obj || !closeChecked(fe, f.Idx) || !slices.Contains(c.Held, f.Idx) {
			continue
		}
		if f.Site.Seeded {
			skipped(fe, s, f, c, rep)
			continue
		}
		if sameCall(f.Site.Ev, c.Ev) || constructorsDefect(fe, f, c) || fe.ElementElsewhere(c.Ev, f.Obj, f.Site.Ev.Instr) ||
			ownerShut(fe, f, c) || fe.IndexDiesHere(f.Site.Ev, fe.Indexes[f.Idx]) {
			continue
		}
		rep.Closed(fe, f, c)
	}
}

// constructorsDefect reports whether an object a callee registered and
// returned (a factory that registers what it makes, in an index of its
// own package) is ended in the caller: whether its close unregisters it
// is a question for the package that declares both, where the unregister
// check answers it once; the callers, tests included, are not where the
// fix belongs, and cannot reach that index.
func constructorsDefect(fe *events.FnEvents, f flow.InFact, c flow.CloseRec) bool {
	return !f.Site.Read && fe.RegisteredResult(f.Site.Ev) && (fe.OwnMethodClose(c.Ev, f.Obj) || fe.ForeignIndex(f.Idx))
}

// ownerShut reports whether the object was read out of an index that
// its owner's close method ends after it was closed, on every path: the
// index dies with its owner (a failing start tearing down what it built).
func ownerShut(fe *events.FnEvents, f flow.InFact, c flow.CloseRec) bool {
	return f.Site.Read && fe.OwnerShutAfter(f.Site.Ev, c.Ev)
}

// closeChecked reports whether a closed object still in index idx at the
// end of a path is a defect this function reports: the index outlives the
// function. An object read out of an index passed in is the caller's to
// clean up (clear(m), m = nil), so that is left to the caller.
func closeChecked(fe *events.FnEvents, idx int) bool {
	return fe.Indexes[idx].Exported()
}

// CleanedUp reports whether an object of type t, closed while in index
// idx, leaves it by its own cleanup: the goroutine started for it deletes
// it as it exits, or it was handed a close callback that deletes it.
// Closing it is how that cleanup is set off, so the closed check lets it
// be. Delegations are known only once the whole package is analysed, so
// the reporter asks this when it writes its findings.
func CleanedUp(d events.Delegations, t types.Type, idx facts.IndexID) bool {
	return d.Covers(t, idx)
}

var closedDoc = Doc{
	Check: rules.CheckClosed,
	Title: "Object closed and left in an index",
	Reports: "An object is closed (`close(ch)`, its own `Close`, `Shutdown` or `Stop`, a declared close, " +
		"a function whose body closes it, or the end of the goroutine started for it) on a path that " +
		"leaves it in an index: later lookups find a dead object. Reported at the close, in the function " +
		"where the object is known to be indexed, or in its callers.",
	Details: "Order does not matter: `c.Close(); delete(m, id)` on the same path is correct, unless the " +
		"close clears what the key is read from. A removal that reads an object's keys from one of its " +
		"fields (`delete(m, s.key)`, or a loop deleting each of `s.addrs`, read directly or through a " +
		"getter that copies them) removes nothing once the object's close method has set that field to " +
		"nil or zero on every path: it is reported at the clear when it runs after the close, in the same " +
		"function after `s.Close()`, or in a function called after a receive from a channel the close " +
		"method closes (a goroutine waiting on `<-s.Done()` to clean up), unless the close removes the " +
		"object from that index itself.\n\n" +
		"A close function that deletes its object (a parameter) from an index on some paths and, on " +
		"another, closes it and returns without the delete is reported at that close: a branch on the " +
		"object's kind, mode or state does not excuse it. The repeat call of an idempotent close (the " +
		"branch tests a field the function itself sets), a branch on a parameter (the caller says whether " +
		"the object is still registered), a branch on a lookup (it was not found), a function that " +
		"inserts the object itself, and an index a sweep empties are not reported.\n\n" +
		"An owner's close (a method named `Close`, `Shutdown`, `Stop`, or `close...`, `shutdown...`, " +
		"`stop...`) that ends, in a loop over an index, each object it holds (closes it or what it holds) " +
		"and never removes from that index is reported when the objects' type has a per-object close: a " +
		"function that deletes one from that index and ends it. A later per-object close, or a lookup, " +
		"still finds the ended object. Emptying or resetting the index in that close is enough.\n\n" +
		"A registration served by one goroutine ends with it: a channel registered in an index and read " +
		"only by a goroutine that can return on another signal (`case <-ctx.Done(): return`) is reported " +
		"at the `go` statement when neither the goroutine nor the function that starts it removes it; " +
		"a goroutine that only ends when the channel is closed (`for range ch`) is ended by whoever " +
		"closes it.\n\n" +
		"An element read back from a slice field is not the object a loop put in an index when each value " +
		"went either into the index or into the slice, on exclusive paths of its iteration (a mode switch).\n\n" +
		"A close that a callee makes only on some paths, keeping the object on the others, with no result " +
		"or parameter telling which (an AMQP client's `NotifyClose`), is never reported; `op: keep` in the " +
		"rules file turns off a learned close that is wrong, and `op: none` everything learned of that parameter. " +
		"A delete a callee makes only on the returns that took one branch on a parameter " +
		"(`if unregister { delete(m, k) }`) does not cover a call whose argument rules that branch out " +
		"(`release(c, false)`). An object read out of an index whose owner is shut down by its own close " +
		"method afterwards, on every path (a failing start's cleanup closing each listener, then the " +
		"server), goes with its owner; so does an object left in an index of an object the function made " +
		"and never lets out of what it made (a test's mock response, handed to its mock broker in a handler " +
		"map). A close, by its own close method, of an " +
		"object that a factory registered and returned is left to the `unregister` check in the " +
		"factory's package, where it is answered once.",
	Example: `
package example

type Conn struct{ id int }

func (c *Conn) Close() error { return nil }

type Server struct{ conns map[int]*Conn }

func (s *Server) hangUp(id int) {
	c := s.conns[id]
	c.Close() // want "c closed by c.Close while still in index Server.conns"
}
`,
	Report: "example.go:11:9: c closed by c.Close while still in index Server.conns (read from it at example.go:10); delete it from Server.conns [closed]",
	Fix:    "delete the object from the index on the path that closes it (before or after the close), or let its close method remove it.",
	NoFix:  "where the delete belongs (this path, the object's close method, the goroutine that serves it) is the maintainer's choice",
}
