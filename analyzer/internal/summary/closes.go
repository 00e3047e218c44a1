package summary

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/flow"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// selfClose: in an object's own method, closing the connection, file or
// channel the receiver holds in a field closes the receiver, unless the
// method stores a new one in that field (a reconnect, not an end).
func (sz *Summarizer) selfClose(op facts.Operand) (facts.Operand, bool) {
	fn := sz.fe.M.Fn
	if fn.Signature.Recv() == nil || op.Base != facts.ParamOperand || op.Pos != 0 || !events.CloseNamed(fn.Name()) || events.Resumable(fn.Params[0].Type()) {
		return facts.Operand{}, false
	}
	steps := facts.SplitPath(op.Path)
	if len(steps) != 1 || steps[0] == facts.StepDeref || steps[0] == facts.StepElem {
		return facts.Operand{}, false
	}
	if storesField(fn, steps[0]) {
		return facts.Operand{}, false
	}
	return facts.Operand{Base: facts.ParamOperand, Pos: 0}, true
}

// storesField reports whether fn stores into the field named id of any
// value.
func storesField(fn *ssa.Function, id string) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			if fa, ok := st.Addr.(*ssa.FieldAddr); ok && model.FieldName(fa.X, fa.Field) == id {
				return true
			}
		}
	}
	return false
}

// addKeyDeletes summarises each insert that replaces the entry under a key
// the caller passes (m[k] = other with k a parameter, or a field of one):
// it deletes what the caller stored under that key.
func (sz *Summarizer) addKeyDeletes() {
	for _, b := range sz.fe.M.Fn.Blocks {
		for _, instr := range b.Instrs {
			for i := range sz.fe.At[instr] {
				ev := &sz.fe.At[instr][i]
				if ev.Kind != rules.Insert || !ev.Replace || ev.KeyVal == nil || ev.Idx == events.AnyIndex || sz.storesOperand(ev) {
					continue
				}
				id := sz.fe.Indexes[ev.Idx]
				if id.Kind == facts.LocalIndex || id.Kind == facts.FreeVarIndex {
					continue
				}
				if key, ok := model.KeyOperand(ev.KeyVal); ok && key.Base == facts.ParamOperand {
					sz.add(facts.Effect{Op: rules.Delete, Index: id, Key: &key}, ev)
				}
			}
		}
	}
}

// storesOperand reports whether an insert stores an object the caller
// sees: the caller then learns the insert itself, and the entry it
// replaced was that object's, or nothing the caller knows.
func (sz *Summarizer) storesOperand(ev *events.Event) bool {
	for _, o := range ev.Objs {
		if _, ok := sz.operands[o]; ok {
			return true
		}
	}
	return false
}

// closedOrKept reports whether obj, closed on some returns (holds) but
// not on all, is kept in an index on the others, or stored to be used
// later (in a field, a package-level variable, or a slice appended to
// one) by the function: on the other
// returns it is kept, and which of the two a call did depends on state a
// caller cannot see (NotifyClose(c) closes c at once if the channel is
// shut down, and keeps it to notify otherwise).
func (sz *Summarizer) closedOrKept(obj int, holds func(*exitRec) bool) bool {
	open := func(r exitRec) bool { return !holds(&r) }
	if !slices.ContainsFunc(sz.exits, open) {
		return false
	}
	indexed := func(r exitRec) bool {
		return slices.ContainsFunc(r.facts, func(f flow.InFact) bool { return f.Obj == obj })
	}
	if !slices.ContainsFunc(sz.exits, func(r exitRec) bool { return open(r) && !indexed(r) }) {
		return true // kept in an index wherever it is not closed
	}
	m := sz.fe.M
	for _, b := range m.Fn.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			switch st.Addr.(type) {
			case *ssa.FieldAddr, *ssa.Global:
			default:
				continue
			}
			if slices.Contains(m.Objects(st.Val), obj) || appends(m, st.Val, obj) {
				return true
			}
		}
	}
	return false
}

// appends reports whether v is append(s, ..., obj, ...).
func appends(m *model.FuncModel, v ssa.Value, obj int) bool {
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	if b, ok := call.Call.Value.(*ssa.Builtin); !ok || b.Name() != "append" || len(call.Call.Args) < 2 {
		return false
	}
	elems := call.Call.Args[1]
	if slices.Contains(m.Objects(elems), obj) {
		return true
	}
	// append(s, x) builds a one-element slice literal: x is stored in it.
	alloc, ok := model.Strip(elems).(*ssa.Slice)
	if !ok {
		return false
	}
	arr, ok := alloc.X.(*ssa.Alloc)
	if !ok {
		return false
	}
	for _, r := range *arr.Referrers() {
		if ia, ok := r.(*ssa.IndexAddr); ok {
			for _, rr := range *ia.Referrers() {
				if st, ok := rr.(*ssa.Store); ok && st.Addr == ia && slices.Contains(m.Objects(st.Val), obj) {
					return true
				}
			}
		}
	}
	return false
}

// unexplained reports whether some return does not have what holds
// tells, for a reason a caller cannot see: a close made on some paths
// only, with no result or parameter telling which, is a maybe-close. A
// path that skips it on a flag the function itself sets (if c.closed {
// return }; c.closed = true) is the repeat call of an idempotent close:
// the object is closed after the call either way; so is a path that
// found nothing to close (if c.conn == nil { return }).
func (sz *Summarizer) unexplained(obj int, holds func(*exitRec) bool) bool {
	for i := range sz.exits {
		r := &sz.exits[i]
		if holds(r) {
			continue
		}
		if sz.stores == nil {
			sz.stores = model.StoredFields(sz.fe.M.Fn) // once per function, not per close and return
		}
		if !onOwnFlag(r.conds, sz.stores) && !sz.testedNil(r.conds, obj) {
			return true
		}
	}
	return false
}

// testedNil reports whether the paths of a return found obj nil.
func (sz *Summarizer) testedNil(conds *flow.CondList, obj int) bool {
	return conds.AnyBranch(func(ifi *ssa.If, taken bool) bool {
		cmp, ok := model.Strip(ifi.Cond).(*ssa.BinOp)
		if !ok || (cmp.Op != token.EQL && cmp.Op != token.NEQ) {
			return false
		}
		x, y := cmp.X, cmp.Y
		if c, isConst := x.(*ssa.Const); isConst && c.IsNil() {
			x, y = y, x
		}
		if c, isConst := y.(*ssa.Const); !isConst || !c.IsNil() {
			return false
		}
		isNil := taken == (cmp.Op == token.EQL) // on these paths obj is nil
		return isNil && slices.Contains(sz.fe.M.Objects(x), obj)
	})
}

// onOwnFlag reports whether the paths of a return took a branch on a
// field in stores.
func onOwnFlag(conds *flow.CondList, stores map[*types.Var]bool) bool {
	return conds.AnyBranch(func(ifi *ssa.If, _ bool) bool {
		for _, v := range model.CondLeaves(ifi.Cond, 4) {
			if f := model.TestedField(v); f != nil && stores[f] {
				return true
			}
		}
		return false
	})
}
