package events

import (
	"go/token"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
)

// Objects a loop sends to one of two places: each value made in an
// iteration goes to an index or to a slice field, by a switch on a mode,
// never both. The model has one object for all the iterations' values,
// so an element read back from the slice would seem to be the one in the
// index; it never is when the append and the insert lie on exclusive
// paths of the iteration that made the value.

// ElementElsewhere reports whether obj, closed by ev as an element read
// from a slice field, went into that slice only on paths that never
// passed ins (its insert into an index) for the same value: the element
// closed is never the indexed one.
func (fe *FnEvents) ElementElsewhere(ev *Event, obj int, ins ssa.Instruction) bool {
	if ev.CS == nil || len(ev.CS.acts) == 0 || ins == nil {
		return false
	}
	root, field, ok := elementOf(ev.CS.acts[0])
	if !ok {
		return false
	}
	found := false
	for _, b := range fe.M.Fn.Blocks {
		for _, instr := range b.Instrs {
			st, isStore := instr.(*ssa.Store)
			if !isStore {
				continue
			}
			fa, isField := st.Addr.(*ssa.FieldAddr)
			if !isField || fa.Field != field || model.Strip(fa.X) != root {
				continue
			}
			for _, v := range appended(st.Val) {
				if !containsObj(fe.M.Objects(v), obj) {
					continue
				}
				def, isInstr := v.(ssa.Instruction)
				if !isInstr || !exclusive(st.Block(), ins.Block(), def.Block()) {
					return false
				}
				found = true
			}
		}
	}
	return found
}

// elementOf returns the object and field of the slice v is an element
// of: *(&x.f[i]).
func elementOf(v ssa.Value) (ssa.Value, int, bool) {
	ld, ok := model.Strip(v).(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return nil, 0, false
	}
	ia, ok := ld.X.(*ssa.IndexAddr)
	if !ok {
		return nil, 0, false
	}
	sl, ok := model.Strip(ia.X).(*ssa.UnOp)
	if !ok || sl.Op != token.MUL {
		return nil, 0, false
	}
	fa, ok := sl.X.(*ssa.FieldAddr)
	if !ok {
		return nil, 0, false
	}
	return model.Strip(fa.X), fa.Field, true
}

// appended returns the values append(s, v...) adds.
func appended(v ssa.Value) []ssa.Value {
	call, ok := v.(*ssa.Call)
	if !ok || !isBuiltin(call.Call, "append") || len(call.Call.Args) != 2 {
		return nil
	}
	sl, ok := call.Call.Args[1].(*ssa.Slice)
	if !ok {
		return nil
	}
	arr, ok := sl.X.(*ssa.Alloc)
	if !ok {
		return nil
	}
	var out []ssa.Value
	for _, r := range *arr.Referrers() {
		ia, ok := r.(*ssa.IndexAddr)
		if !ok {
			continue
		}
		for _, u := range *ia.Referrers() {
			if st, ok := u.(*ssa.Store); ok && st.Addr == ia {
				out = append(out, model.Strip(st.Val))
			}
		}
	}
	return out
}

func containsObj(objs []int, o int) bool {
	for _, x := range objs {
		if x == o {
			return true
		}
	}
	return false
}

// exclusive reports whether no path goes from a to b or from b to a
// without passing def (where the value is made anew).
func exclusive(a, b, def *ssa.BasicBlock) bool {
	return a != b && !reachesAvoiding(a, b, def) && !reachesAvoiding(b, a, def)
}

func reachesAvoiding(from, to, avoid *ssa.BasicBlock) bool {
	seen := map[*ssa.BasicBlock]bool{from: true}
	work := append([]*ssa.BasicBlock(nil), from.Succs...)
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if b == to {
			return true
		}
		if seen[b] || b == avoid {
			continue
		}
		seen[b] = true
		work = append(work, b.Succs...)
	}
	return false
}
