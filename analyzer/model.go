package analyzer

import (
	"fmt"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// funcModel maps one function's SSA values to objects. It is built once per
// function, before the dataflow, and never changes during it.
type funcModel struct {
	fn   *ssa.Function
	objs *objTable
	raw  map[ssa.Value][]int // memo of rawObjects; a value under way maps to itself

	// elems maps the element pseudo-object of a local container (key path
	// ending in "[]") to the objects stored in it.
	elems map[int][]int
	// locals holds the maps made here that never escape: containers, not indexes.
	locals map[ssa.Value]bool
}

func newFuncModel(fn *ssa.Function) *funcModel {
	m := &funcModel{
		fn:     fn,
		objs:   newObjTable(),
		raw:    make(map[ssa.Value][]int),
		elems:  make(map[int][]int),
		locals: make(map[ssa.Value]bool),
	}
	m.prepass()
	return m
}

// rawObjects returns the object ids a value stands for, before aliasing.
func (m *funcModel) rawObjects(v ssa.Value) []int {
	if r, ok := m.raw[v]; ok {
		return r
	}
	self := []int{m.objs.id(objKey{root: v})}
	m.raw[v] = self // a cycle through phis ends at the value itself
	r := m.computeObjects(v, self)
	m.raw[v] = r
	return r
}

func (m *funcModel) computeObjects(v ssa.Value, self []int) []int {
	if s := strip(v); s != v {
		return m.rawObjects(s)
	}
	switch x := v.(type) {
	case *ssa.Const:
		return nil
	case *ssa.FieldAddr:
		return m.rawObjects(x.X) // &p.f is p: an intrusive node names its owner
	case *ssa.UnOp:
		if x.Op == token.MUL {
			return m.contents(x.X)
		}
	case *ssa.Field:
		return m.extend(m.rawObjects(x.X), fieldName(x.X, x.Field))
	case *ssa.Index:
		return m.extend(m.rawObjects(x.X), stepElem)
	case *ssa.Lookup:
		if !x.CommaOk {
			return m.extend(m.rawObjects(x.X), stepElem)
		}
	case *ssa.Extract:
		return m.extractObjects(x, self)
	case *ssa.Slice:
		return m.rawObjects(x.X)
	case *ssa.Phi:
		var out []int
		for _, e := range x.Edges {
			out = addSet(out, m.rawObjects(e)...)
		}
		return out
	}
	return self
}

func (m *funcModel) extractObjects(x *ssa.Extract, self []int) []int {
	switch t := x.Tuple.(type) {
	case *ssa.Lookup:
		if x.Index == 0 {
			return m.extend(m.rawObjects(t.X), stepElem)
		}
	case *ssa.Next:
		if r, ok := t.Iter.(*ssa.Range); ok && !t.IsString && x.Index > 0 {
			return m.extend(m.rawObjects(r.X), stepElem)
		}
	case *ssa.Call:
		return []int{m.objs.id(objKey{root: t, path: fmt.Sprintf("|#%d", x.Index)})}
	}
	return self
}

// contents returns the objects a load from addr yields.
func (m *funcModel) contents(addr ssa.Value) []int {
	switch a := addr.(type) {
	case *ssa.FieldAddr:
		return m.extend(m.rawObjects(a.X), fieldName(a.X, a.Field))
	case *ssa.IndexAddr:
		return m.extend(m.rawObjects(a.X), stepElem)
	}
	return m.extend(m.rawObjects(addr), stepDeref)
}

// extend returns the objects at step from each object of base. The keys of
// one class extended by the same step are one object.
func (m *funcModel) extend(base []int, step string) []int {
	var out []int
	for _, b := range base {
		first := -1
		for _, k := range m.objs.classMembers(b, 4) {
			id := m.objs.id(k.extend(step))
			if first < 0 {
				first = id
			} else {
				m.objs.union(first, id)
			}
		}
		if first >= 0 {
			out = addSet(out, first)
		}
	}
	return out
}

// objects returns the canonical objects v stands for, with the elements of
// local containers expanded to what was stored in them.
func (m *funcModel) objects(v ssa.Value) []int {
	if v == nil || !isRef(v.Type()) || !isRef(strip(v).Type()) {
		return nil // an int in an interface holds no object
	}
	return m.expand(m.rawObjects(v))
}

func (m *funcModel) expand(ids []int) []int {
	var out []int
	seen := make(map[int]bool)
	var walk func(ids []int)
	walk = func(ids []int) {
		for _, id := range ids {
			c := m.objs.find(id)
			if seen[c] {
				continue
			}
			seen[c] = true
			if es, ok := m.elems[c]; ok {
				walk(es)
				continue
			}
			out = addSet(out, c)
		}
	}
	walk(ids)
	return out
}

// fieldID names field i of struct type t (or of the struct t points at) as
// "pkgpath.Type.field", stable across packages and instantiations.
func fieldID(t types.Type, i int) string {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok || i >= st.NumFields() {
		return fmt.Sprintf("?.%d", i)
	}
	f := st.Field(i)
	owner := anonOwner(st)
	if n, ok := types.Unalias(t).(*types.Named); ok {
		owner = n.Origin().Obj().Name()
	}
	pkg := ""
	if f.Pkg() != nil {
		pkg = f.Pkg().Path()
	}
	return pkg + "." + owner + "." + f.Name()
}

// anonOwner names an anonymous struct type that no field leads to by its
// shape (the number of fields and the first one's name), so that two of
// them are, most of the time, two owners of two indexes. fieldName names
// the common case, a struct reached through a field, exactly.
func anonOwner(st *types.Struct) string {
	owner := anonPrefix + itoa(st.NumFields())
	if st.NumFields() > 0 {
		owner += "_" + st.Field(0).Name()
	}
	return owner
}

// anonPrefix starts the owner name of an anonymous struct's fields.
const anonPrefix = "struct_"

// fieldName names field i of the struct x points at (or is), as fieldID
// does; a field of an anonymous struct reached through a field of another
// struct is named through it (Swarm.conns.m), so that two anonymous
// structs of the same shape in one type stay two.
func fieldName(x ssa.Value, i int) string {
	t := x.Type()
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, anon := types.Unalias(t).(*types.Struct)
	if !anon || i >= st.NumFields() {
		return fieldID(x.Type(), i)
	}
	switch outer := x.(type) {
	case *ssa.FieldAddr:
		return fieldName(outer.X, outer.Field) + "." + st.Field(i).Name()
	case *ssa.Field:
		return fieldName(outer.X, outer.Field) + "." + st.Field(i).Name()
	}
	return fieldID(x.Type(), i)
}
