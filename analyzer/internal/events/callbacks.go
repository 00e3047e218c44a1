package events

import (
	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// RangeCallbacks finds the closures passed to (*sync.Map).Range in funcs
// and the index each one walks: their key and value parameters are objects
// read out of that index, as a range over a map yields.
func RangeCallbacks(funcs []*ssa.Function, set *rules.Set) map[*ssa.Function]facts.IndexID {
	out := make(map[*ssa.Function]facts.IndexID)
	if !set.Enabled(rules.KindSyncMap) {
		return out
	}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(*ssa.Call)
				if !ok || len(call.Call.Args) != 2 {
					continue
				}
				callee := call.Call.StaticCallee()
				if callee == nil || callee.String() != "(*sync.Map).Range" {
					continue
				}
				cb, ok := callbackFunc(call.Call.Args[1])
				if !ok {
					continue
				}
				if id, ok := model.DirectIndex(call.Call.Args[0]); ok {
					out[cb] = id
				}
			}
		}
	}
	return out
}

func callbackFunc(v ssa.Value) (*ssa.Function, bool) {
	switch x := v.(type) {
	case *ssa.MakeClosure:
		fn, ok := x.Fn.(*ssa.Function)
		return fn, ok
	case *ssa.Function:
		return x, true
	}
	return nil, false
}

// CallbackReads puts the parameters of a Range callback in the index it
// walks, at the callback's first instruction.
func (fe *FnEvents) CallbackReads(id facts.IndexID) {
	fn := fe.M.Fn
	if len(fn.Blocks) == 0 || len(fn.Blocks[0].Instrs) == 0 {
		return
	}
	var objs []int
	for _, p := range fn.Params {
		objs = model.AddSet(objs, fe.M.Objects(p)...)
	}
	if len(objs) == 0 {
		return
	}
	first := fn.Blocks[0].Instrs[0]
	ev := Event{Kind: rules.Read, Objs: objs, Idx: fe.index(id), Pos: fn.Pos(), argPos: -1}
	fe.At[first] = append([]Event{ev}, fe.At[first]...)
}
