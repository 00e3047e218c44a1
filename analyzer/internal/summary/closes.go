package summary

import (
	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
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
				if key, ok := model.KeyOperand(ev.KeyVal); ok {
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
