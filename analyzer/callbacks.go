package analyzer

import (
	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// rangeCallbacks finds the closures passed to (*sync.Map).Range in funcs
// and the index each one walks: their key and value parameters are objects
// read out of that index, as a range over a map yields.
func rangeCallbacks(funcs []*ssa.Function, cfg Config) map[*ssa.Function]facts.IndexID {
	out := make(map[*ssa.Function]facts.IndexID)
	if !cfg.Rules.Enabled(rules.KindSyncMap) {
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

// callbackReads puts the parameters of a Range callback in the index it
// walks, at the callback's first instruction.
func (fe *fnEvents) callbackReads(id facts.IndexID) {
	fn := fe.m.Fn
	if len(fn.Blocks) == 0 || len(fn.Blocks[0].Instrs) == 0 {
		return
	}
	var objs []int
	for _, p := range fn.Params {
		objs = model.AddSet(objs, fe.m.Objects(p)...)
	}
	if len(objs) == 0 {
		return
	}
	first := fn.Blocks[0].Instrs[0]
	ev := event{kind: rules.Read, objs: objs, idx: fe.index(id), pos: fn.Pos(), argPos: -1}
	fe.at[first] = append([]event{ev}, fe.at[first]...)
}
