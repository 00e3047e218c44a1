package events

import (
	"go/token"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// A Seed is a parameter the function deletes from an index on some path
// and closes on some path: the dataflow starts with it in that index, so
// that a path that closes it and returns without the delete is seen as
// one that leaves it there (a close function's removal skipped on a
// branch). Seeded facts are no inserts: summaries and the evidence checks
// ignore them.
type Seed struct {
	Obj, Idx int
	Del      *Event // the first delete of the object from the index
}

// FindSeeds records the function's seeds.
func (fe *FnEvents) FindSeeds() {
	fe.Seeds = nil
	params := make(map[int]bool)
	for _, p := range fe.M.Fn.Params {
		for _, o := range fe.M.Objects(p) {
			params[o] = true
		}
	}
	if len(params) == 0 {
		return
	}
	closed := make(map[int]bool)
	inserted := make(map[[2]int]bool) // put in here: not there when the function began
	var dels []*Event
	for _, instr := range fe.instrsInOrder() {
		for i := range fe.At[instr] {
			ev := &fe.At[instr][i]
			switch {
			case ev.Kind == rules.Close && !ev.Async():
				for _, o := range ev.Objs {
					closed[o] = true
				}
			case ev.Kind == rules.Insert || ev.Kind == rules.Read:
				for _, o := range append(slices.Clone(ev.Objs), ev.IdentObjs...) {
					inserted[[2]int{o, ev.Idx}] = true
				}
			case ev.Kind == rules.Delete && ev.Idx != AnyIndex && !ev.ByKey && fe.Indexes[ev.Idx].Exported():
				dels = append(dels, ev)
			}
		}
	}
	for _, ev := range dels {
		for _, o := range fe.deletedParams(ev, params) {
			if closed[o] && !inserted[[2]int{o, ev.Idx}] && !slices.ContainsFunc(fe.Seeds, func(s Seed) bool { return s.Obj == o && s.Idx == ev.Idx }) {
				fe.Seeds = append(fe.Seeds, Seed{Obj: o, Idx: ev.Idx, Del: ev})
			}
		}
	}
}

// deletedParams returns the parameter objects a delete removes: those it
// names, or, for a delete by key, the parameter whose field the key is.
func (fe *FnEvents) deletedParams(ev *Event, params map[int]bool) []int {
	var out []int
	for _, o := range ev.Objs {
		if params[o] {
			out = append(out, o)
		}
	}
	if ev.Objs != nil || ev.DelKey == nil {
		return out
	}
	k := model.Strip(ev.DelKey)
	if ld, ok := k.(*ssa.UnOp); ok && ld.Op == token.MUL {
		if fa, ok := ld.X.(*ssa.FieldAddr); ok {
			k = model.Strip(fa.X)
		}
	}
	if _, ok := k.(*ssa.Parameter); !ok {
		return out
	}
	for _, o := range fe.M.Objects(k) {
		if params[o] {
			out = append(out, o)
		}
	}
	return out
}

// instrsInOrder returns the instructions with events, in block order.
func (fe *FnEvents) instrsInOrder() []ssa.Instruction {
	var out []ssa.Instruction
	for _, b := range fe.M.Fn.Blocks {
		for _, instr := range b.Instrs {
			if _, ok := fe.At[instr]; ok {
				out = append(out, instr)
			}
		}
	}
	return out
}
