package events

import (
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
)

// Locks: a suggested fix puts a delete where the insert's lock may not be
// held, and a delete outside the insert's lock is a data race. So a fix is
// offered only where every mutex held at the insert is held too. The
// locks held are a must-analysis over the function's blocks: Lock and
// RLock of a sync.Mutex or sync.RWMutex take one, Unlock and RUnlock
// release it, a deferred Unlock releases nothing before the return.

// LockSet is the mutexes held at a point, by identity (see lockKey).
type LockSet []any

// HeldAt returns the mutexes held right before instr runs, computing the
// function's locksets on first use.
func (fe *FnEvents) HeldAt(instr ssa.Instruction) LockSet {
	if fe.locks == nil {
		fe.locks = fe.lockSets()
	}
	return fe.locks[instr]
}

// lockSets computes, for each call and map update, the mutexes held right
// before it.
func (fe *FnEvents) lockSets() map[ssa.Instruction]LockSet {
	blocks := fe.M.Fn.Blocks
	in := make([]LockSet, len(blocks))
	seen := make([]bool, len(blocks))
	out := make(map[ssa.Instruction]LockSet)
	if len(blocks) == 0 {
		return out
	}
	seen[0] = true
	work := []*ssa.BasicBlock{blocks[0]}
	for budget := 16 * len(blocks); len(work) > 0 && budget > 0; budget-- {
		b := work[0]
		work = work[1:]
		held := slices.Clone(in[b.Index])
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Call, *ssa.MapUpdate, *ssa.Store:
				out[instr] = slices.Clone(held)
				if c, ok := x.(*ssa.Call); ok {
					held = fe.lockStep(held, c.Common())
				}
			}
		}
		for _, s := range b.Succs {
			next := held
			if seen[s.Index] {
				next = intersect(in[s.Index], held)
				if len(next) == len(in[s.Index]) {
					continue
				}
			}
			seen[s.Index] = true
			in[s.Index] = next
			work = append(work, s)
		}
	}
	return out
}

// lockStep applies a call's effect on the mutexes held.
func (fe *FnEvents) lockStep(held LockSet, c *ssa.CallCommon) LockSet {
	f := c.StaticCallee()
	if f == nil || len(c.Args) == 0 {
		return held
	}
	switch f.String() {
	case "(*sync.Mutex).Lock", "(*sync.RWMutex).Lock", "(*sync.RWMutex).RLock":
		k := fe.lockKey(c.Args[0])
		if !slices.Contains(held, k) {
			held = append(held, k)
		}
	case "(*sync.Mutex).Unlock", "(*sync.RWMutex).Unlock", "(*sync.RWMutex).RUnlock":
		k := fe.lockKey(c.Args[0])
		held = slices.DeleteFunc(held, func(h any) bool { return h == k })
	}
	return held
}

// lockKey identifies a mutex by its address: a global, or a field of one
// object (two loads of s.mu are the same mutex).
func (fe *FnEvents) lockKey(addr ssa.Value) any {
	switch a := model.Strip(addr).(type) {
	case *ssa.FieldAddr:
		if objs := fe.M.Expand(fe.M.RawObjects(a.X)); len(objs) == 1 {
			return model.LoadKey{Obj: objs[0], Field: model.FieldName(a.X, a.Field)}
		}
		return a
	case *ssa.Global:
		return a
	}
	return addr
}

func intersect(a, b LockSet) LockSet {
	var out LockSet
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// HoldsAll reports whether every mutex of want is in have.
func (l LockSet) HoldsAll(want LockSet) bool {
	for _, w := range want {
		if !slices.Contains(l, w) {
			return false
		}
	}
	return true
}

// LockedAt reports whether instr runs with a mutex held.
func (fe *FnEvents) LockedAt(instr ssa.Instruction) bool {
	return instr != nil && len(fe.HeldAt(instr)) > 0
}
