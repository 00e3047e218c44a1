package events

import (
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
)

// An index in a field of an object made in the function, which reaches
// nothing but other objects made there, dies with the function: what it
// still holds when the function returns is garbage with it (a test's mock
// response, its broker and the handler map that holds both).

// IndexDiesHere reports whether the index instance the insert ins put its
// object in is a field of an object this function made and never hands
// out: ins stores into a field of it (m[k] = v on o.m), or is a method of
// it whose type declares the index (o.SetX(k, v)).
func (fe *FnEvents) IndexDiesHere(ins *Event, idx facts.IndexID) bool {
	if idx.Kind != facts.FieldIndex {
		return false
	}
	owner := fe.indexOwner(ins, idx.Name[:strings.LastIndex(idx.Name, ".")])
	if owner == nil {
		return false
	}
	return madeHere(owner) && !escapesFunction(owner, make(map[ssa.Value]bool), escapeDepth)
}

// indexOwner returns the value whose field the insert's index is: the map
// a direct insert stores into is loaded from its field; a method of the
// type declaring the index is called on it.
func (fe *FnEvents) indexOwner(ins *Event, ownerType string) ssa.Value {
	var mapv ssa.Value
	if up, ok := ins.Instr.(*ssa.MapUpdate); ok && !ins.Learned {
		mapv = up.Map
	} else if !ins.Learned {
		mapv = readMap(ins.Instr)
	}
	if mapv != nil {
		if ld, ok := model.Strip(mapv).(*ssa.UnOp); ok {
			if fa, ok := ld.X.(*ssa.FieldAddr); ok {
				return throughBuilder(model.Strip(fa.X))
			}
		}
		return nil
	}
	cs := ins.CS
	if cs == nil || cs.Callee == nil || cs.Callee.Signature.Recv() == nil || len(cs.acts) == 0 {
		return nil
	}
	if n := namedOf(cs.acts[0].Type()); n == nil || n.Obj().Pkg() == nil || n.Obj().Pkg().Path()+"."+n.Obj().Name() != ownerType {
		return nil
	}
	return throughBuilder(model.Strip(cs.acts[0]))
}

// throughBuilder returns the receiver of a chain of calls that each
// return their receiver (NewX(t).SetA(...).SetB(...)).
func throughBuilder(v ssa.Value) ssa.Value {
	for range 8 {
		call, ok := v.(*ssa.Call)
		if !ok || !returnsReceiver(call.Call.StaticCallee()) {
			return v
		}
		v = model.Strip(call.Call.Args[0])
	}
	return v
}

// returnsReceiver reports whether fn is a method that returns its
// receiver on every return.
func returnsReceiver(fn *ssa.Function) bool {
	if fn == nil || fn.Signature.Recv() == nil || len(fn.Params) == 0 || fn.Blocks == nil {
		return false
	}
	any := false
	for _, r := range results(fn) {
		if r != fn.Params[0] {
			return false
		}
		any = true
	}
	return any
}

// madeHere reports whether v is an object its function made: a heap
// allocation of a struct, or a fresh one from a constructor of the
// package (its first result).
func madeHere(v ssa.Value) bool {
	switch x := v.(type) {
	case *ssa.Alloc:
		return x.Heap && isStructPointer(x.Type())
	case *ssa.Call:
		return freshConstructor(x.Parent(), x)
	case *ssa.Extract:
		call, ok := x.Tuple.(*ssa.Call)
		return ok && x.Index == 0 && freshConstructor(call.Parent(), call)
	}
	return false
}

// escapeDepth bounds the chains of containers and objects escapesFunction
// follows; the values it visits are bounded by the function's size.
const escapeDepth = 8

// escapesFunction reports whether v may outlive the function: returned,
// sent, stored anywhere but in a local container or another object made
// here that does not outlive it, passed to a function that is not a
// method of such an object, captured by a goroutine. A method's result of
// v's own type (a builder returning its receiver) is followed as v.
func escapesFunction(v ssa.Value, seen map[ssa.Value]bool, depth int) bool {
	if seen[v] {
		return false
	}
	seen[v] = true
	if depth == 0 {
		return true
	}
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		if escapesThrough(v, r, seen, depth) {
			return true
		}
	}
	return false
}

func escapesThrough(v ssa.Value, r ssa.Instruction, seen map[ssa.Value]bool, depth int) bool {
	switch x := r.(type) {
	case *ssa.DebugRef, *ssa.FieldAddr, *ssa.Field, *ssa.BinOp, *ssa.If, *ssa.IndexAddr, *ssa.Index, *ssa.Lookup, *ssa.Range:
		return false // reads of v, or addresses in it
	case *ssa.Slice:
		return escapesFunction(x, seen, depth) // the same array
	case *ssa.UnOp:
		return escapesFunction(x, seen, depth)
	case *ssa.ChangeType, *ssa.MakeInterface, *ssa.ChangeInterface, *ssa.TypeAssert, *ssa.Extract, *ssa.Phi:
		return escapesFunction(x.(ssa.Value), seen, depth)
	case *ssa.Store:
		if x.Val != v {
			return false // a store into v
		}
		return !localPlace(x.Addr, seen, depth)
	case *ssa.MapUpdate:
		if x.Value != v && x.Key != v {
			return false
		}
		return !localPlace(x.Map, seen, depth)
	case *ssa.MakeClosure:
		return closureEscapes(x) // a closure called here, or deferred, keeps nothing
	case ssa.CallInstruction:
		return callEscapes(v, x, seen, depth)
	}
	return true
}

// localPlace reports whether storing into addr keeps the value inside
// what dies with the function: a local variable, a local map or slice, or
// a field of an object made here that does not escape.
func localPlace(addr ssa.Value, seen map[ssa.Value]bool, depth int) bool {
	switch a := model.Strip(addr).(type) {
	case *ssa.Alloc:
		return !escapesFunction(a, seen, depth-1)
	case *ssa.MakeMap, *ssa.MakeSlice:
		return !escapesFunction(a.(ssa.Value), seen, depth-1)
	case *ssa.FieldAddr:
		return localPlace(a.X, seen, depth)
	case *ssa.IndexAddr:
		return localPlace(a.X, seen, depth)
	}
	return false
}

// callEscapes reports whether a call may keep v beyond the function: a
// deferred or plain method call on v is fine (its result followed when it
// is v again); v passed to a method of an object made here that does not
// escape stays with that object; anything else may keep it.
func callEscapes(v ssa.Value, call ssa.CallInstruction, seen map[ssa.Value]bool, depth int) bool {
	if _, isGo := call.(*ssa.Go); isGo {
		return true
	}
	c := call.Common()
	if c.IsInvoke() {
		return c.Value != v || slices.Contains(c.Args, v) // a method called through an interface on v keeps nothing of it
	}
	callee := c.StaticCallee()
	if callee == nil || callee.Signature.Recv() == nil || len(c.Args) == 0 {
		return !harmlessBuiltin(c)
	}
	if c.Args[0] == v {
		for _, a := range c.Args[1:] {
			if a == v {
				return true
			}
		}
		if res, ok := call.(*ssa.Call); ok && types.Identical(res.Type(), v.Type()) {
			return escapesFunction(res, seen, depth)
		}
		return false
	}
	recv := throughBuilder(model.Strip(c.Args[0]))
	return !madeHere(recv) || escapesFunction(recv, seen, depth-1)
}

// harmlessBuiltin reports whether c is a builtin that keeps nothing it is
// given (len, cap, delete) beyond what append returns.
func harmlessBuiltin(c *ssa.CallCommon) bool {
	b, ok := c.Value.(*ssa.Builtin)
	if !ok {
		return false
	}
	switch b.Name() {
	case "len", "cap", "delete", "print", "println", "clear":
		return true
	}
	return false
}
