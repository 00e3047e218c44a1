package events

import (
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
)

// A registration held by a per-call object: a function makes an object
// (a context, a session) that lives only for the call, and one of that
// object's methods registers something it then holds in a field (a reply
// subscription kept in js.rsub) in an index that outlives the call. When
// the function returns, the only handle on the registration dies with
// the object: nothing can unregister it any more.

// LocalHolder returns the value of the object made in fe's function
// that holds obj in one of its fields, when obj went in through a
// method of that object (ins) and the object dies with the call: made
// here, by an allocation or by a constructor of this package that
// returns a fresh one, and never handed out (returned, stored, sent,
// passed on, or captured by anything but a closure called here). It
// returns the field's name too.
func (fe *FnEvents) LocalHolder(obj int, ins *Event) (holder ssa.Value, field string, ok bool) {
	if obj < 0 || obj >= len(fe.M.Objs.Keys) || ins == nil || !ins.Learned || ins.CS == nil || len(ins.CS.acts) == 0 {
		return nil, "", false
	}
	steps := facts.SplitPath(fe.M.Objs.Keys[obj].Path)
	if len(steps) == 0 {
		return nil, "", false
	}
	field = steps[len(steps)-1]
	if strings.HasPrefix(field, "#") || field == facts.StepElem || field == facts.StepDeref || field == "…" {
		return nil, "", false
	}
	recv := ins.CS.acts[0]
	if !slices.Contains(fe.M.Extend(fe.M.Objects(recv), field), fe.M.Objs.Find(obj)) {
		return nil, "", false // not a field of the receiver of the call that registered it
	}
	holder = throughSlot(model.Strip(recv)) // a captured variable's cell, stored once, names the value
	if !madeHere(holder) {                  // a variable's cell, or an object made elsewhere
		return nil, "", false
	}
	if escapesFunction(holder, make(map[ssa.Value]bool), escapeDepth) {
		return nil, "", false
	}
	name := field[strings.LastIndex(field, ".")+1:]
	if setAtCreation(holder, name) {
		return nil, "", false // it was given what it registered: the giver holds it too
	}
	if ins.Idx >= 0 && ins.Idx < len(fe.Indexes) && madeWithOwner(holder, fe.Indexes[ins.Idx]) {
		return nil, "", false // the index is the holder's own, and dies with it
	}
	return holder, name, true
}

// madeWithOwner reports whether the object was made with the owner of
// the field index idx: a field set where it was made holds a fresh object
// (&client{srv: newServer()}) whose type leads, through pointers and
// struct fields, to the type that declares idx. The index then lives as
// long as the object does (a test's dummy client with a server of its
// own).
func madeWithOwner(holder ssa.Value, idx facts.IndexID) bool {
	if idx.Kind != facts.FieldIndex {
		return false
	}
	owner := idx.Name[:strings.LastIndex(idx.Name, ".")]
	for _, alloc := range allocsOf(holder) {
		for _, v := range freshFields(alloc) {
			if leadsTo(v.Type(), owner, 3, make(map[types.Type]bool)) {
				return true
			}
		}
	}
	return false
}

// allocsOf returns the allocations the object holder is: itself, or
// what its constructor returns.
func allocsOf(holder ssa.Value) []*ssa.Alloc {
	if a, ok := holder.(*ssa.Alloc); ok {
		return []*ssa.Alloc{a}
	}
	call, ok := holder.(*ssa.Call)
	if ex, isExtract := holder.(*ssa.Extract); isExtract {
		call, ok = ex.Tuple.(*ssa.Call)
	}
	if !ok || call.Call.StaticCallee() == nil {
		return nil
	}
	var out []*ssa.Alloc
	for _, v := range results(call.Call.StaticCallee()) {
		if a, isAlloc := v.(*ssa.Alloc); isAlloc {
			out = append(out, a)
		}
	}
	return out
}

// results returns what fn returns as its first result, on each return:
// through a captured variable's cell stored once, and through the
// result slots of a function with defers.
func results(fn *ssa.Function) []ssa.Value {
	var out []ssa.Value
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || b == fn.Recover || len(ret.Results) == 0 {
			continue
		}
		for _, v := range model.SlotValues(model.Strip(ret.Results[0])) {
			out = append(out, throughSlot(model.Strip(v)))
		}
	}
	return out
}

// freshFields returns the values stored into alloc's fields that are
// objects made right there: an allocation, or the result of a
// constructor of the package returning a fresh one.
func freshFields(alloc *ssa.Alloc) []ssa.Value {
	var out []ssa.Value
	for _, r := range *alloc.Referrers() {
		fa, ok := r.(*ssa.FieldAddr)
		if !ok {
			continue
		}
		for _, u := range *fa.Referrers() {
			st, ok := u.(*ssa.Store)
			if !ok || st.Addr != fa {
				continue
			}
			switch v := model.Strip(st.Val).(type) {
			case *ssa.Alloc:
				out = append(out, v)
			case *ssa.Call:
				if freshConstructor(alloc.Parent(), v) {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

// leadsTo reports whether a value of type t reaches a struct of the named
// type (pkgpath.Name) through at most depth pointers and struct fields;
// a generic holder's type arguments (atomic.Pointer[T]) count as fields.
func leadsTo(t types.Type, name string, depth int, seen map[types.Type]bool) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	n, named := t.(*types.Named)
	if named && n.Obj().Pkg() != nil && n.Obj().Pkg().Path()+"."+n.Obj().Name() == name {
		return true
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok || depth == 0 {
		return false
	}
	if named {
		for i := range n.TypeArgs().Len() {
			if leadsTo(n.TypeArgs().At(i), name, depth-1, seen) {
				return true
			}
		}
	}
	for i := range st.NumFields() {
		if leadsTo(st.Field(i).Type(), name, depth-1, seen) {
			return true
		}
	}
	return false
}

// setAtCreation reports whether the object's field is set where the
// object is made (&T{f: x}, or by its constructor): what it registers
// under that field was handed to it, not made by its method.
func setAtCreation(holder ssa.Value, field string) bool {
	alloc, ok := holder.(*ssa.Alloc)
	if !ok {
		call, isCall := holder.(*ssa.Call)
		if ex, isExtract := holder.(*ssa.Extract); isExtract {
			call, isCall = ex.Tuple.(*ssa.Call)
		}
		if !isCall {
			return true
		}
		callee := call.Call.StaticCallee()
		if callee == nil {
			return true
		}
		for _, v := range results(callee) {
			if a, isAlloc := v.(*ssa.Alloc); isAlloc && storesField(a, field) {
				return true
			}
		}
		return false
	}
	return storesField(alloc, field)
}

// storesField reports whether a store sets the named field of alloc.
func storesField(alloc *ssa.Alloc, field string) bool {
	for _, r := range *alloc.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == alloc {
			return true // a copy of another value: every field set
		}
		fa, ok := r.(*ssa.FieldAddr)
		if !ok {
			continue
		}
		st, ok := alloc.Type().Underlying().(*types.Pointer).Elem().Underlying().(*types.Struct)
		if !ok || fa.Field >= st.NumFields() || st.Field(fa.Field).Name() != field {
			continue
		}
		for _, u := range *fa.Referrers() {
			if s, ok := u.(*ssa.Store); ok && s.Addr == fa {
				if c, isConst := s.Val.(*ssa.Const); !isConst || !c.IsNil() {
					return true
				}
			}
		}
	}
	return false
}

// freshConstructor reports whether call's callee, a function of the same
// package, returns a new allocation (or nil) as its first result on
// every return, made there or by another such constructor whose result
// it returns (New calling NewServer).
func freshConstructor(fn *ssa.Function, call *ssa.Call) bool {
	return freshFrom(fn, call, 3)
}

func freshFrom(fn *ssa.Function, call *ssa.Call, depth int) bool {
	callee := call.Call.StaticCallee()
	if depth == 0 || callee == nil || callee.Pkg != fn.Pkg || callee.Blocks == nil || callee.Signature.Results().Len() == 0 {
		return false
	}
	fresh := false
	for _, r := range results(callee) {
		switch v := r.(type) {
		case *ssa.Alloc:
			fresh = true
		case *ssa.Const:
			if !v.IsNil() {
				return false
			}
		case *ssa.Call:
			if !freshFrom(fn, v, depth-1) {
				return false
			}
			fresh = true
		case *ssa.Extract:
			inner, isCall := v.Tuple.(*ssa.Call)
			if !isCall || v.Index != 0 || !freshFrom(fn, inner, depth-1) {
				return false
			}
			fresh = true
		default:
			return false
		}
	}
	return fresh
}

// closureEscapes reports whether a closure capturing the object may
// outlive the call: it is used as anything but a call's function here.
func closureEscapes(mc *ssa.MakeClosure) bool {
	for _, r := range *mc.Referrers() {
		switch x := r.(type) {
		case *ssa.DebugRef:
		case *ssa.Call:
			if x.Call.Value != mc {
				return true
			}
		default:
			return true
		}
	}
	return false
}

func isStructPointer(t types.Type) bool {
	p, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	_, ok = p.Elem().Underlying().(*types.Struct)
	return ok
}
