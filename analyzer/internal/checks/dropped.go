package checks

import (
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// A dropped hand-off is the undo check's failing path without an error:
// an object made here and put in an index is handed over by a select
// whose default branch drops it (select { case accepts <- s: default: }).
// On that branch the hand-off failed, and nothing will ever end the
// object: the index holds it for good. The evidence is the send itself,
// which says the object's life goes on elsewhere. The branch must use the
// object no more (no delete from the index, no close, no other hand-off,
// no use at all on any path from it): when in doubt, silent.

// Dropped reports each dropped hand-off of fe's function. It needs no
// dataflow: it runs on the events before they are pruned to what the
// summary needs.
func Dropped(fe *events.FnEvents, rep Reporter) {
	for _, b := range fe.M.Fn.Blocks {
		for _, instr := range b.Instrs {
			sel, ok := instr.(*ssa.Select)
			if !ok || sel.Blocking {
				continue
			}
			droppedAt(fe, sel, rep)
		}
	}
}

func droppedAt(fe *events.FnEvents, sel *ssa.Select, rep Reporter) {
	def := defaultBlock(sel)
	if def == nil {
		return
	}
	from := 0
	if def == sel.Block() {
		from = model.InstrIndex(def, sel) + 1 // no case has a body: what follows the select is the default's
	}
	for _, st := range sel.States {
		if st.Dir != types.SendOnly || st.Send == nil {
			continue
		}
		for _, o := range fe.M.Objects(st.Send) {
			if !madeHere(fe, o) {
				continue
			}
			ins := insertBefore(fe, o, sel)
			if ins == nil || usedFrom(fe, def, from, o, ins.Idx) {
				continue
			}
			rep.Dropped(fe, ins, o, sel, st.Chan)
			return
		}
	}
}

// defaultBlock returns the block a non-blocking select runs when no case
// is ready: past the tests of its chosen index against each case; the
// select's own block when no case has a body (no test is left).
func defaultBlock(sel *ssa.Select) *ssa.BasicBlock {
	var chosen ssa.Value
	for _, r := range *sel.Referrers() {
		if x, ok := r.(*ssa.Extract); ok && x.Index == 0 {
			chosen = x
		}
	}
	b := sel.Block()
	for range len(sel.States) + 1 {
		if chosen == nil {
			return b // no case tested: every path is the default's
		}
		iff, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok {
			return b
		}
		cmp, ok := iff.Cond.(*ssa.BinOp)
		if !ok || cmp.Op != token.EQL || cmp.X != chosen {
			return b
		}
		b = b.Succs[1]
	}
	return nil
}

// madeHere reports whether obj is made by this function: allocated, or
// returned by a constructor it calls (a function named new…), also when
// it is kept in a variable a closure captures (the cell's one content).
func madeHere(fe *events.FnEvents, obj int) bool {
	keys := fe.M.Objs.Keys
	if obj < 0 || obj >= len(keys) {
		return false
	}
	switch k := keys[obj]; k.Path {
	case "":
		return madeValue(k.Root)
	case "|" + facts.StepDeref:
		cell, ok := k.Root.(*ssa.Alloc)
		if !ok || !cell.Heap {
			return false
		}
		made := false
		for _, r := range *cell.Referrers() {
			if st, ok := r.(*ssa.Store); ok && st.Addr == cell {
				if !madeValue(st.Val) {
					return false
				}
				made = true
			}
		}
		return made
	}
	return false
}

// madeValue reports whether v is a new object: an allocation, or the
// result of a constructor (a function named new…).
func madeValue(v ssa.Value) bool {
	switch r := v.(type) {
	case *ssa.Alloc:
		return true
	case *ssa.Call:
		f := r.Call.StaticCallee()
		return f != nil && strings.HasPrefix(strings.ToLower(f.Name()), "new")
	}
	return false
}

// insertBefore returns an insert of obj into an index that outlives the
// function, made on every path to at.
func insertBefore(fe *events.FnEvents, obj int, at ssa.Instruction) *events.Event {
	for _, b := range fe.M.Fn.Blocks {
		for _, instr := range b.Instrs {
			for i := range fe.At[instr] {
				ev := &fe.At[instr][i]
				if ev.Kind == rules.Insert && ev.Idx >= 0 && slices.Contains(ev.Objs, obj) &&
					closeChecked(fe, ev.Idx) && !fe.StandardIndex(ev.Idx) && model.RunsBefore(instr, at) {
					return ev
				}
			}
		}
	}
	return nil
}

// usedFrom reports whether a path from instruction i of block b uses obj
// again, or deletes from idx: any operand that stands for obj, any event
// of that index. The first block is scanned from i; reached again by a
// loop, it is scanned whole.
func usedFrom(fe *events.FnEvents, b *ssa.BasicBlock, i, obj, idx int) bool {
	for _, instr := range b.Instrs[i:] {
		if usesObject(fe, instr, obj, idx) {
			return true
		}
	}
	seen := make(map[*ssa.BasicBlock]bool)
	work := slices.Clone(b.Succs)
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		for _, instr := range b.Instrs {
			if usesObject(fe, instr, obj, idx) {
				return true
			}
		}
		work = append(work, b.Succs...)
	}
	return false
}

func usesObject(fe *events.FnEvents, instr ssa.Instruction, obj, idx int) bool {
	for _, ev := range fe.At[instr] {
		if ev.Idx == idx || slices.Contains(ev.Objs, obj) {
			return true
		}
	}
	for _, op := range instr.Operands(nil) {
		if *op != nil && slices.Contains(fe.M.Objects(*op), obj) {
			return true
		}
	}
	return false
}
