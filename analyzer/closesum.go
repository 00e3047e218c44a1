package analyzer

import (
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// selfClose: in an object's own method, closing the connection, file or
// channel the receiver holds in a field closes the receiver, unless the
// method stores a new one in that field (a reconnect, not an end).
func (sz *summarizer) selfClose(op Operand) (Operand, bool) {
	fn := sz.fe.m.fn
	if fn.Signature.Recv() == nil || op.Base != ParamOperand || op.Pos != 0 || !closeNamed(fn.Name()) || resumable(fn.Params[0].Type()) {
		return Operand{}, false
	}
	steps := splitPath(op.Path)
	if len(steps) != 1 || steps[0] == stepDeref || steps[0] == stepElem {
		return Operand{}, false
	}
	if storesField(fn, steps[0]) {
		return Operand{}, false
	}
	return Operand{Base: ParamOperand, Pos: 0}, true
}

// closeNamed reports whether a method's name says it ends its receiver's
// life: Close, closeLocked, shutdown, Stop, destroy, teardown. A method
// that names what else it closes (closeReqBody) or closes one of the
// receiver's channels under another name (endStream, abortRead) ends a
// part or a phase of the object, not the object.
func closeNamed(name string) bool {
	lower := strings.ToLower(name)
	for _, verb := range []string{"close", "shutdown", "stop", "destroy", "teardown", "terminate", "dispose"} {
		rest, ok := strings.CutPrefix(lower, verb)
		if !ok {
			continue
		}
		switch rest {
		case "", "locked", "witherror", "witherr", "err", "now", "internal", "conn":
			return true
		}
	}
	return false
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
			if fa, ok := st.Addr.(*ssa.FieldAddr); ok && fieldName(fa.X, fa.Field) == id {
				return true
			}
		}
	}
	return false
}

// addKeyDeletes summarises each insert that replaces the entry under a key
// the caller passes (m[k] = other with k a parameter, or a field of one):
// it deletes what the caller stored under that key.
func (sz *summarizer) addKeyDeletes() {
	for _, b := range sz.fe.m.fn.Blocks {
		for _, instr := range b.Instrs {
			for i := range sz.fe.at[instr] {
				ev := &sz.fe.at[instr][i]
				if ev.kind != rules.Insert || !ev.replace || ev.keyVal == nil || ev.idx == anyIndex || sz.storesOperand(ev) {
					continue
				}
				id := sz.fe.indexes[ev.idx]
				if id.Kind == LocalIndex || id.Kind == FreeVarIndex {
					continue
				}
				if key, ok := sz.keyOperand(ev.keyVal); ok {
					sz.add(Effect{Op: rules.Delete, Index: id, Key: &key}, ev)
				}
			}
		}
	}
}

// storesOperand reports whether an insert stores an object the caller
// sees: the caller then learns the insert itself, and the entry it
// replaced was that object's, or nothing the caller knows.
func (sz *summarizer) storesOperand(ev *event) bool {
	for _, o := range ev.objs {
		if _, ok := sz.operands[o]; ok {
			return true
		}
	}
	return false
}

// keyOperand expresses a key as a parameter, or one field of one.
func (sz *summarizer) keyOperand(k ssa.Value) (Operand, bool) {
	k = strip(k)
	params := sz.fe.m.fn.Params
	if p, ok := k.(*ssa.Parameter); ok {
		return Operand{Base: ParamOperand, Pos: slices.Index(params, p)}, true
	}
	if ld, ok := k.(*ssa.UnOp); ok {
		if fa, ok := ld.X.(*ssa.FieldAddr); ok {
			if p, ok := strip(fa.X).(*ssa.Parameter); ok {
				return Operand{Base: ParamOperand, Pos: slices.Index(params, p), Path: "|" + fieldName(fa.X, fa.Field)}, true
			}
		}
	}
	return Operand{}, false
}
