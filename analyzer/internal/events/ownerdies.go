package events

import (
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// OwnerShutAfter reports whether, on every path from the close event
// closing to a return, the owner of the map that read got the object out
// of is shut down by its own close method (n.Close() after each of
// n.ctxs was closed, in a failing start's cleanup): the index ends with
// its owner, so what it still holds is no dangling entry anyone will
// find. The owner is the object whose field the map was loaded from.
func (fe *FnEvents) OwnerShutAfter(read, closing *Event) bool {
	mapv := readMap(read.Instr)
	if mapv == nil || closing.Instr == nil {
		return false
	}
	owners := fe.mapOwners(mapv)
	if len(owners) == 0 {
		return false
	}
	shuts := func(instr ssa.Instruction) bool { return fe.shutsOwner(instr, owners) }
	return everyPathMeets(closing.Instr, shuts)
}

// readMap returns the map a lookup or a range reads, or nil.
func readMap(instr ssa.Instruction) ssa.Value {
	switch x := instr.(type) {
	case *ssa.Lookup:
		if _, ok := x.X.Type().Underlying().(*types.Map); ok {
			return x.X
		}
	case *ssa.Extract:
		if next, ok := x.Tuple.(*ssa.Next); ok {
			if r, ok := next.Iter.(*ssa.Range); ok {
				return r.X
			}
		}
	}
	return nil
}

// shutsOwner reports whether instr calls a close method (Close,
// Shutdown, Stop, close..., stop..., ...) of one of owners.
func (fe *FnEvents) shutsOwner(instr ssa.Instruction, owners []int) bool {
	call, ok := instr.(*ssa.Call)
	if !ok {
		return false
	}
	c := call.Common()
	var recv ssa.Value
	switch {
	case c.IsInvoke():
		if !closeMethod(c.Method.Name()) {
			return false
		}
		recv = c.Value
	case c.StaticCallee() != nil && ownerClose(c.StaticCallee()) && len(c.Args) > 0:
		recv = c.Args[0]
	default:
		return false
	}
	return slices.ContainsFunc(fe.M.Objects(recv), func(o int) bool { return slices.Contains(owners, o) })
}

// everyPathMeets reports whether every path from just after from to a
// return passes an instruction meets accepts. A path that ends in a panic
// never returns, so it needs nothing.
func everyPathMeets(from ssa.Instruction, meets func(ssa.Instruction) bool) bool {
	b := from.Block()
	if b == nil {
		return false
	}
	start := slices.Index(b.Instrs, from)
	if start < 0 {
		return false
	}
	// escapes reports whether a path from instruction i of blk reaches a
	// return without meeting one.
	seen := map[*ssa.BasicBlock]bool{}
	var escapes func(blk *ssa.BasicBlock, i int) bool
	escapes = func(blk *ssa.BasicBlock, i int) bool {
		for _, instr := range blk.Instrs[i:] {
			if meets(instr) {
				return false
			}
			if _, ok := instr.(*ssa.Return); ok {
				return true
			}
		}
		for _, s := range blk.Succs {
			if !seen[s] {
				seen[s] = true
				if escapes(s, 0) {
					return true
				}
			}
		}
		return false
	}
	return !escapes(b, start+1)
}
