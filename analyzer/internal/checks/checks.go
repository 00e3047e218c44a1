// Package checks says what each check concludes from what the dataflow
// sees. The flow (package flow) follows which objects are in which
// indexes, which are closed and which kept; at each end of life and at
// each exit of a function, the checks decide which of those facts are
// defects and tell a Reporter, one file per check:
//
//	freed.go   an object freed while an index still holds a pointer to it
//	closed.go  an object closed and still in an index where the path that
//	           closes it leaves the function
//	undo.go    a failing return that keeps an insert its sibling failing
//	           returns take back
//	dropped.go (undo) an object handed over by a select whose default
//	           branch drops it while an index holds it
//	served.go  (closed) a registered channel that only a goroutine reads,
//	           left registered when that goroutine returns
//
// The evidence-based checks (undo, partial, unregister) rest on what the
// code does elsewhere, ranked so that a habit the code breaks more often
// than it keeps is no evidence. What a check's report reads like is package report's; which checks
// report is the configuration's (rules.CheckSet), applied there.
package checks

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/flow"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
)

// Reporter receives the defects the checks find.
type Reporter interface {
	// Freed: object f.Obj is freed by ev while still in index f.Idx.
	// deferAt is the defer statement of a deferred free, else NoPos.
	Freed(fe *events.FnEvents, f flow.InFact, ev *events.Event, deferAt token.Pos)
	// Closed: object f.Obj, closed by c, is still in index f.Idx where the
	// path leaves the function.
	Closed(fe *events.FnEvents, f flow.InFact, c flow.CloseRec)
	// Skipped: object f.Obj, a parameter the function deletes from index
	// f.Idx on other paths (f.Site.Ev, the first such delete), is closed
	// by c and left there where the path leaves the function.
	Skipped(fe *events.FnEvents, f flow.InFact, c flow.CloseRec)
	// Lost: object f.Obj, registered in f.Idx by a method of holder and
	// held in holder's field, stays there where a path returns, and
	// holder, made in the function, dies with the call.
	Lost(fe *events.FnEvents, f flow.InFact, holder ssa.Value, field string)
	// Undo: object f.Obj, inserted at f.Site, is still in index f.Idx
	// where the failing return ret leaves the function, while on the
	// other failing returns in agree the insert was deleted again.
	Undo(fe *events.FnEvents, f flow.InFact, ret *ssa.Return, agree []flow.UndoRec)
	// UndoSiblings: object f.Obj stays in index f.Idx where the failing
	// return ret leaves, while the functions of others undo their
	// inserts into that index on their failing returns.
	UndoSiblings(fe *events.FnEvents, f flow.InFact, ret *ssa.Return, others []SiblingEvidence)
	// UndoScoped: object f.Obj stays in index f.Idx where the failing
	// return ret leaves, while every return that does not fail deletes it
	// first (del, the first such delete).
	UndoScoped(fe *events.FnEvents, f flow.InFact, ret *ssa.Return, del *events.Event)
	// UndoHandedOut: object f.Obj, made here, stays in index f.Idx where
	// the failing return ret leaves without it, while the return out
	// hands it to the caller, who ends it.
	UndoHandedOut(fe *events.FnEvents, f flow.InFact, ret, out *ssa.Return)
	// Dropped: object obj, inserted by ins, is handed over to ch by the
	// non-blocking select sel, whose default branch drops it.
	Dropped(fe *events.FnEvents, ins *events.Event, obj int, sel *ssa.Select, ch ssa.Value)
	// Served: object obj, a channel registered by ins, is read by the
	// goroutine g starts and by nothing else, and stays registered when
	// that goroutine returns.
	// name is the goroutine's name for it.
	Served(fe *events.FnEvents, ins *events.Event, obj int, g *ssa.Go, name string)
}

// NewObserver returns the observer of the final pass over fe's function:
// each check looks at what it concerns and tells rep what it concludes,
// then sum (the summary being collected) sees the same. Checks that
// compare paths conclude when Finish is called, after the pass; what
// compares functions is left in sib, concluded once the package is done.
func NewObserver(fe *events.FnEvents, rep Reporter, sum flow.Observer, sib *Siblings) *Observer {
	return &Observer{fe: fe, rep: rep, sum: sum, undo: newUndoCheck(fe), sib: sib}
}

// Observer is the checks' view of the final pass over one function.
type Observer struct {
	fe    *events.FnEvents
	rep   Reporter
	sum   flow.Observer
	undo  *undoCheck
	sib   *Siblings
	exits []CloseExit
}

// CloseExit is what one return of a close method did on its paths: the
// unregister check asks whether a path that ends the object's resources
// leaves its registration.
type CloseExit struct {
	Ret     *ssa.Return
	Deleted []facts.IndexID // the indexes deleted from on its paths (on some of them, where paths merged)
	Closed  bool            // something was closed on its paths
	// Guarded says its paths tested the receiver's own state (if
	// cc.conns == nil, if c.closed): the early return of a close called
	// again, after the first call did the work.
	Guarded bool
	// NilTested are the receiver's fields (model.FieldID) a test for nil
	// of which decides a delete that only some of its paths make (if
	// s.xdsC != nil { s.closeXDS() }): on the others that field held
	// nothing to remove.
	NilTested []string
}

// CloseExits returns the returns of a close method, for the unregister
// check; nil for other functions.
func (o *Observer) CloseExits() []CloseExit { return o.exits }

// Finish concludes the checks that compare the function's paths.
func (o *Observer) Finish() { o.undo.finish(o.rep, o.sib) }

// Freed runs the freed check on a free, then tells sum.
func (o *Observer) Freed(s *flow.State, obj int, ev *events.Event, deferAt token.Pos) {
	freed(o.fe, s, obj, ev, deferAt, o.rep)
	o.sum.Freed(s, obj, ev, deferAt)
}

// Deleted tells sum; no check concludes at a delete.
func (o *Observer) Deleted(obj int, ev *events.Event) { o.sum.Deleted(obj, ev) }

// Kept tells sum; a kept object's ends are no longer checked.
func (o *Observer) Kept(obj int, ev *events.Event) { o.sum.Kept(obj, ev) }

// Exit runs the closed check where a path returns, then tells sum.
func (o *Observer) Exit(s *flow.State, ret *ssa.Return) {
	closed(o.fe, s, o.rep)
	if ret != nil {
		lost(o.fe, s, ret, o.rep)
	}
	o.undo.exit(s, ret)
	if fn := o.fe.M.Fn; ret != nil && fn.Signature.Recv() != nil && events.CloseNamed(fn.Name()) {
		o.exits = append(o.exits, closeExit(o.fe, s, ret))
	}
	o.sum.Exit(s, ret)
}

func closeExit(fe *events.FnEvents, s *flow.State, ret *ssa.Return) CloseExit {
	closes := slices.ContainsFunc(s.Closed, func(c flow.CloseRec) bool { return !c.Maybe })
	x := CloseExit{Ret: ret, Closed: closes, Guarded: testsReceiver(fe, s.Conds)}
	for _, d := range s.Deleted {
		// A state's deletes are those of any of the paths merged into it;
		// a delete counts for this return only where every path to it
		// passes the delete (or the defer that runs it).
		if d.Ev.Instr != nil && !model.RunsBefore(d.Ev.Instr, ret) {
			// One made only when the receiver's state says so (the last
			// reference released) makes the other paths the state's.
			x.Guarded = x.Guarded || underReceiverTest(fe, d.Ev.Instr.Block())
			x.NilTested = append(x.NilTested, nilTestedFields(fe, d.Ev.Instr.Block())...)
			continue
		}
		if d.Idx >= 0 && !slices.Contains(x.Deleted, fe.Indexes[d.Idx]) {
			x.Deleted = append(x.Deleted, fe.Indexes[d.Idx])
		}
	}
	return x
}

// underReceiverTest reports whether block b runs only when the
// receiver's reference count says the last reference went: a block that
// dominates it ends in a test of what an update of a receiver's field
// returned (if s.refs.Add(-1) == 0). A branch on the object's kind, mode
// or state is no such test: a close that skips the removal there forgot.
func underReceiverTest(fe *events.FnEvents, b *ssa.BasicBlock) bool {
	fn := fe.M.Fn
	if fn.Signature.Recv() == nil || len(fn.Params) == 0 {
		return false
	}
	for d := b.Idom(); d != nil; d = d.Idom() {
		if iff, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If); ok && countTest(iff, fn.Params[0]) {
			return true
		}
	}
	return false
}

// nilTestedFields returns the receiver's fields that a block dominating
// b tests for nil.
func nilTestedFields(fe *events.FnEvents, b *ssa.BasicBlock) []string {
	fn := fe.M.Fn
	if fn.Signature.Recv() == nil || len(fn.Params) == 0 {
		return nil
	}
	var out []string
	for d := b.Idom(); d != nil; d = d.Idom() {
		iff, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		cmp, ok := iff.Cond.(*ssa.BinOp)
		if !ok || (cmp.Op != token.NEQ && cmp.Op != token.EQL) {
			continue
		}
		for _, v := range []ssa.Value{cmp.X, cmp.Y} {
			ld, ok := v.(*ssa.UnOp)
			if !ok || ld.Op != token.MUL {
				continue
			}
			if fa, ok := ld.X.(*ssa.FieldAddr); ok && reachedFrom(fa.X, fn.Params[0]) && eitherNil(cmp.X, cmp.Y) {
				out = append(out, model.FieldID(fa.X.Type(), fa.Field))
			}
		}
	}
	return out
}

// eitherNil reports whether a or b is the constant nil.
func eitherNil(a, b ssa.Value) bool { return isNilConst(a) || isNilConst(b) }

// countTest reports whether iff tests what an update of a counter held
// by recv returned: if s.refs.Add(-1) == 0.
func countTest(iff *ssa.If, recv *ssa.Parameter) bool {
	cmp, ok := iff.Cond.(*ssa.BinOp)
	if !ok {
		return false
	}
	counted := func(v ssa.Value) bool {
		c, ok := v.(*ssa.Call)
		if !ok || !isInteger(c.Type()) {
			return false
		}
		return slices.ContainsFunc(c.Call.Args, func(a ssa.Value) bool { return a != recv && reachedFrom(a, recv) })
	}
	return counted(cmp.X) || counted(cmp.Y)
}

// RefCounted reports whether method fn releases one reference of its
// receiver (it tests what an update of the receiver's counter returned):
// the receiver is shared, and whoever holds the last reference, or the
// registry itself, ends it.
func RefCounted(fn *ssa.Function) bool {
	if fn == nil || fn.Signature.Recv() == nil || len(fn.Params) == 0 {
		return false
	}
	for _, b := range fn.Blocks {
		if iff, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok && countTest(iff, fn.Params[0]) {
			return true
		}
	}
	return false
}

// testsReceiver reports whether conds test a field of the function's
// receiver.
func testsReceiver(fe *events.FnEvents, conds *flow.CondList) bool {
	fn := fe.M.Fn
	if fn.Signature.Recv() == nil || len(fn.Params) == 0 {
		return false
	}
	recv := fe.M.Objects(fn.Params[0])
	isRecvField := func(k any) bool {
		lk, ok := k.(model.LoadKey)
		return ok && slices.Contains(recv, lk.Obj)
	}
	for l := conds; l != nil; l = l.Next {
		k := l.Cond.Key
		if b, ok := k.(model.BinKey); ok && (isRecvField(b.X) || isRecvField(b.Y)) || isRecvField(k) {
			return true
		}
	}
	return false
}

// isInteger reports whether t is an integer type: a count.
func isInteger(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0
}

// reachedFrom reports whether v is p or reached from it by fields
// (&s.count, s.refs).
func reachedFrom(v ssa.Value, p *ssa.Parameter) bool {
	for {
		switch x := model.Strip(v).(type) {
		case *ssa.UnOp:
			if x.Op != token.MUL {
				return false
			}
			v = x.X
		case *ssa.FieldAddr:
			v = x.X
		case *ssa.Field:
			v = x.X
		case *ssa.Parameter:
			return x == p
		default:
			return false
		}
	}
}

// sameCall reports whether two events come from one call: a callee that
// inserts on one path and ends the object on another has checked both
// itself; its flattened summary must not pair them.
func sameCall(a, b *events.Event) bool {
	return a.CS != nil && b.CS != nil && a.CS.Common == b.CS.Common
}
