package events

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
)

// Where a key comes from, where a close clears it, and what runs after a
// close: the facts the stale-key rule of the closed check rests on. A
// removal that reads an object's keys from one of its fields (delete(m,
// s.key), or a loop over s.addrs deleting each) removes nothing once the
// object's close has cleared that field.

// FieldRead says a value was read from field Field of an object Obj of
// the named type Type: the field itself, or a copy of it that a method of
// Type returns (a getter under a lock).
type FieldRead struct {
	Obj   ssa.Value
	Type  *types.Named
	Field *types.Var
	// Elems says the value is an element of the field (a range over it).
	Elems bool
}

// ReadFrom returns the field v was read from: a load of obj.f, or the
// result of a method of obj's type that returns obj.f or a copy of it.
func ReadFrom(v ssa.Value) (FieldRead, bool) {
	v = model.Strip(v)
	if fr, ok := loadedField(v); ok {
		return fr, true
	}
	call, ok := v.(*ssa.Call)
	if !ok || call.Call.IsInvoke() || len(call.Call.Args) == 0 {
		return FieldRead{}, false
	}
	callee := call.Call.StaticCallee()
	if callee == nil || callee.Signature.Recv() == nil || len(callee.Params) == 0 || callee.Signature.Results().Len() != 1 {
		return FieldRead{}, false
	}
	f := returnedField(callee)
	if f == nil {
		return FieldRead{}, false
	}
	t := namedOf(callee.Signature.Recv().Type())
	if t == nil {
		return FieldRead{}, false
	}
	return FieldRead{Obj: identity(call.Call.Args[0]), Type: t, Field: f}, true
}

// KeyReadFrom returns the field a key was read from: the field itself
// (delete(m, s.key)), or an element of it (a range over s.addrs, or over
// the copy a getter returns).
func KeyReadFrom(k ssa.Value) (FieldRead, bool) {
	k = model.Strip(k)
	var from ssa.Value
	switch x := k.(type) {
	case *ssa.UnOp:
		if ia, ok := x.X.(*ssa.IndexAddr); ok && x.Op == token.MUL {
			from = ia.X
		}
	case *ssa.Index:
		from = x.X
	case *ssa.Extract:
		if next, ok := x.Tuple.(*ssa.Next); ok && x.Index == 1 && !next.IsString {
			if rg, ok := next.Iter.(*ssa.Range); ok {
				from = rg.X
			}
		}
	}
	if from == nil {
		return ReadFrom(k)
	}
	fr, ok := ReadFrom(from)
	fr.Elems = true
	return fr, ok
}

// loadedField matches *(&obj.f).
func loadedField(v ssa.Value) (FieldRead, bool) {
	ld, ok := v.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return FieldRead{}, false
	}
	fa, ok := ld.X.(*ssa.FieldAddr)
	if !ok {
		return FieldRead{}, false
	}
	t := namedOf(fa.X.Type())
	if t == nil {
		return FieldRead{}, false
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return FieldRead{}, false
	}
	return FieldRead{Obj: identity(fa.X), Type: t, Field: st.Field(fa.Field)}, true
}

// identity returns the value that names v's object across loads: the
// variable's cell when v is loaded from one (a parameter a closure
// captures lives in a cell, loaded at each use), else v.
func identity(v ssa.Value) ssa.Value {
	v = model.Strip(v)
	if ld, ok := v.(*ssa.UnOp); ok && ld.Op == token.MUL {
		switch x := ld.X.(type) {
		case *ssa.Alloc, *ssa.FreeVar:
			if _, ok := x.Type().Underlying().(*types.Pointer); ok {
				return x
			}
		}
	}
	return v
}

// receiver returns the values that name fn's receiver: the parameter,
// and the cell it is stored in when a closure captures it.
func receiver(fn *ssa.Function) map[ssa.Value]bool {
	recv := fn.Params[0]
	out := map[ssa.Value]bool{recv: true}
	for _, r := range *recv.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Val == recv {
			if a, ok := st.Addr.(*ssa.Alloc); ok {
				out[a] = true
			}
		}
	}
	return out
}

// returnedField returns the field of its receiver a method returns on
// every path, itself or copied (make then copy, or append to nil), or nil.
func returnedField(fn *ssa.Function) *types.Var {
	var out *types.Var
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || len(ret.Results) != 1 {
			continue
		}
		fr, ok := copiedField(ret.Results[0])
		if !ok || !receiver(fn)[fr.Obj] || (out != nil && out != fr.Field) {
			return nil
		}
		out = fr.Field
	}
	return out
}

// copiedField matches a field, or a slice made and filled with a copy of
// it.
func copiedField(v ssa.Value) (FieldRead, bool) {
	v = throughSlot(model.Strip(v))
	if fr, ok := loadedField(v); ok {
		return fr, true
	}
	switch x := v.(type) {
	case *ssa.MakeSlice:
		for _, r := range *x.Referrers() {
			if c, ok := r.(*ssa.Call); ok && isBuiltin(c.Call, "copy") && len(c.Call.Args) == 2 && model.Strip(c.Call.Args[0]) == x {
				return loadedField(model.Strip(c.Call.Args[1]))
			}
		}
	case *ssa.Call:
		if isBuiltin(x.Call, "append") && len(x.Call.Args) == 2 {
			if c, ok := model.Strip(x.Call.Args[0]).(*ssa.Const); ok && c.IsNil() {
				return loadedField(model.Strip(x.Call.Args[1]))
			}
		}
	}
	return FieldRead{}, false
}

// throughSlot sees through a load of a local stored once (the result
// slot of a function with defers, or the cell of a captured variable) to
// the value stored.
func throughSlot(v ssa.Value) ssa.Value {
	if ld, ok := v.(*ssa.UnOp); ok && ld.Op == token.MUL {
		if a, ok := ld.X.(*ssa.Alloc); ok {
			if val := storedOnce(a); val != nil {
				return model.Strip(val)
			}
		}
	}
	return v
}

func isBuiltin(c ssa.CallCommon, name string) bool {
	b, ok := c.Value.(*ssa.Builtin)
	return ok && b.Name() == name
}

// namedOf returns the named type t is or points to, or nil.
func namedOf(t types.Type) *types.Named {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	n, _ := types.Unalias(t).(*types.Named)
	return n
}

// CloseClears is what a close method does to its receiver's fields: the
// ones it sets to their zero value on every path (the stores), and the
// channels it closes (a done signal), in its body or in the closures it
// runs (a sync.Once's).
type CloseClears struct {
	Fn      *ssa.Function
	Cleared map[*types.Var]*ssa.Store
	Chans   map[*types.Var]bool
}

// FindCloseClears reads a close method's clears and closed channels.
func FindCloseClears(fn *ssa.Function) *CloseClears {
	cc := &CloseClears{Fn: fn, Cleared: make(map[*types.Var]*ssa.Store), Chans: make(map[*types.Var]bool)}
	if fn == nil || len(fn.Params) == 0 || fn.Blocks == nil {
		return cc
	}
	cc.scan(fn, receiver(fn), true)
	return cc
}

// scan reads fn, in which the values of recv are the receiver; top says
// fn is the close method itself, whose unconditional clears count.
func (cc *CloseClears) scan(fn *ssa.Function, recv map[ssa.Value]bool, top bool) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Store:
				fa, ok := x.Addr.(*ssa.FieldAddr)
				if !ok || !recv[identity(fa.X)] || !isZero(x.Val) || !top || !onEveryExit(fn, b) {
					continue
				}
				if st, ok := namedOf(fa.X.Type()).Underlying().(*types.Struct); ok {
					if _, seen := cc.Cleared[st.Field(fa.Field)]; !seen {
						cc.Cleared[st.Field(fa.Field)] = x
					}
				}
			case *ssa.Call:
				if isBuiltin(x.Call, "close") && len(x.Call.Args) == 1 {
					if fr, ok := loadedField(model.Strip(x.Call.Args[0])); ok && recv[fr.Obj] {
						cc.Chans[fr.Field] = true
					}
				}
			case *ssa.MakeClosure:
				anon, ok := x.Fn.(*ssa.Function)
				if !ok || anon.Parent() != fn {
					continue
				}
				inner := make(map[ssa.Value]bool)
				for i, bv := range x.Bindings {
					if recv[identity(bv)] && i < len(anon.FreeVars) {
						inner[anon.FreeVars[i]] = true
					}
				}
				if len(inner) > 0 {
					cc.scan(anon, inner, false)
				}
			}
		}
	}
}

// isZero reports whether v is the zero value of its type: nil, "", 0.
func isZero(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	if !ok {
		return false
	}
	if c.Value == nil {
		return true
	}
	switch c.Value.Kind() {
	case constant.String:
		return constant.StringVal(c.Value) == ""
	case constant.Int, constant.Float:
		return constant.Sign(c.Value) == 0
	}
	return false
}

// onEveryExit reports whether block b runs on every normal return of fn.
func onEveryExit(fn *ssa.Function, b *ssa.BasicBlock) bool {
	for _, rb := range fn.Blocks {
		if _, ok := rb.Instrs[len(rb.Instrs)-1].(*ssa.Return); ok && rb != fn.Recover && !b.Dominates(rb) {
			return false
		}
	}
	return true
}

// CloseSignal is an instruction after which an object of type Type has
// been closed: a call of its close method, or a receive from a channel
// its close method closes.
type CloseSignal struct {
	Instr ssa.Instruction
	Obj   ssa.Value
	Type  *types.Named
}

// CloseSignals returns fn's close signals; closeOf gives a type's close
// method's clears (nil when it has none).
func CloseSignals(fn *ssa.Function, closeOf func(*types.Named) *CloseClears) []CloseSignal {
	var out []CloseSignal
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Call:
				callee := x.Call.StaticCallee()
				if callee == nil || x.Call.IsInvoke() || callee.Signature.Recv() == nil || len(x.Call.Args) == 0 {
					continue
				}
				t := namedOf(callee.Signature.Recv().Type())
				if t == nil {
					continue
				}
				if cc := closeOf(t); cc != nil && cc.Fn == callee {
					out = append(out, CloseSignal{Instr: x, Obj: identity(x.Call.Args[0]), Type: t})
				}
			case *ssa.UnOp:
				if x.Op != token.ARROW {
					continue
				}
				fr, ok := ReadFrom(x.X)
				if !ok {
					continue
				}
				if cc := closeOf(fr.Type); cc != nil && cc.Chans[fr.Field] {
					out = append(out, CloseSignal{Instr: x, Obj: fr.Obj, Type: fr.Type})
				}
			}
		}
	}
	return out
}

// KeyRemoval is a delete from an index that outlives the function, by a
// key read from a field of an object.
type KeyRemoval struct {
	Call  *ssa.Call
	Idx   facts.IndexID
	From  FieldRead
	Value *types.Named // what the index holds
}

// FieldKeyRemovals returns fn's deletes by keys read from a field.
func FieldKeyRemovals(fn *ssa.Function) []KeyRemoval {
	var out []KeyRemoval
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if kr, ok := RemovalAt(instr); ok {
				out = append(out, kr)
			}
		}
	}
	return out
}

// RemovalAt returns the delete instr makes by a key read from a field,
// if it is one.
func RemovalAt(instr ssa.Instruction) (KeyRemoval, bool) {
	c, ok := instr.(*ssa.Call)
	if !ok || !isBuiltin(c.Call, "delete") || len(c.Call.Args) != 2 {
		return KeyRemoval{}, false
	}
	mt, ok := c.Call.Args[0].Type().Underlying().(*types.Map)
	if !ok {
		return KeyRemoval{}, false
	}
	id, ok := model.DirectIndex(c.Call.Args[0])
	if !ok {
		return KeyRemoval{}, false
	}
	fr, ok := KeyReadFrom(c.Call.Args[1])
	if !ok {
		return KeyRemoval{}, false
	}
	return KeyRemoval{Call: c, Idx: id, From: fr, Value: namedOf(mt.Elem())}, true
}

// After returns the instructions of fn that run after instr on every
// path to them: later in its block, or in a block it dominates.
func After(instr ssa.Instruction) []ssa.Instruction {
	var out []ssa.Instruction
	b := instr.Block()
	i := model.InstrIndex(b, instr)
	out = append(out, b.Instrs[i+1:]...)
	for _, d := range b.Parent().Blocks {
		if d != b && b.Dominates(d) {
			out = append(out, d.Instrs...)
		}
	}
	return out
}
