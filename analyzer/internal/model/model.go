// Package model maps a function's SSA values to the objects and indexes
// lifecyclecheck follows: an object is a value normalised to its root
// (conversions stripped, &p.f is p) with the access path of fields loaded
// on the way, interned in an ObjTable whose classes join values known to
// be the same (a field stored once, then loaded; a local container's
// elements); an index is a package-level variable, a struct field, a
// parameter or a captured variable (IndexOf). It also names the values
// branch conditions test (CondKey, OperandKey), so that two tests of one
// thing correlate. The model is built once per function, before the
// events, and never changes during the dataflow.
package model

import (
	"fmt"
	"go/token"
	"go/types"
	"strconv"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
)

// FuncModel maps one function's SSA values to objects. It is built once per
// function, before the dataflow, and never changes during it.
type FuncModel struct {
	Fn   *ssa.Function       // the function modelled
	Objs *ObjTable           // its objects
	raw  map[ssa.Value][]int // memo of rawObjects; a value under way maps to itself

	// elems maps the element pseudo-object of a local container (key path
	// ending in "[]") to the objects stored in it.
	elems map[int][]int
	// locals holds the maps made here that never escape: containers, not indexes.
	locals map[ssa.Value]bool
}

// NewFuncModel returns the model of fn, its prepass done.
func NewFuncModel(fn *ssa.Function) *FuncModel {
	m := &FuncModel{
		Fn:     fn,
		Objs:   newObjTable(),
		raw:    make(map[ssa.Value][]int),
		elems:  make(map[int][]int),
		locals: make(map[ssa.Value]bool),
	}
	m.prepass()
	return m
}

// RawObjects returns the object ids a value stands for, before aliasing.
func (m *FuncModel) RawObjects(v ssa.Value) []int {
	if r, ok := m.raw[v]; ok {
		return r
	}
	self := []int{m.Objs.ID(ObjKey{Root: v})}
	m.raw[v] = self // a cycle through phis ends at the value itself
	r := m.computeObjects(v, self)
	m.raw[v] = r
	return r
}

func (m *FuncModel) computeObjects(v ssa.Value, self []int) []int {
	if s := Strip(v); s != v {
		return m.RawObjects(s)
	}
	switch x := v.(type) {
	case *ssa.Const:
		return nil
	case *ssa.FieldAddr:
		return m.RawObjects(x.X) // &p.f is p: an intrusive node names its owner
	case *ssa.UnOp:
		if x.Op == token.MUL {
			return m.contents(x.X)
		}
	case *ssa.Field:
		return m.Extend(m.RawObjects(x.X), FieldName(x.X, x.Field))
	case *ssa.Index:
		return m.Extend(m.RawObjects(x.X), facts.StepElem)
	case *ssa.Lookup:
		if !x.CommaOk {
			return m.Extend(m.RawObjects(x.X), facts.StepElem)
		}
	case *ssa.Extract:
		return m.extractObjects(x, self)
	case *ssa.Slice:
		return m.RawObjects(x.X)
	case *ssa.Phi:
		var out []int
		for _, e := range x.Edges {
			out = AddSet(out, m.RawObjects(e)...)
		}
		return out
	}
	return self
}

func (m *FuncModel) extractObjects(x *ssa.Extract, self []int) []int {
	switch t := x.Tuple.(type) {
	case *ssa.Lookup:
		if x.Index == 0 {
			return m.Extend(m.RawObjects(t.X), facts.StepElem)
		}
	case *ssa.Next:
		if r, ok := t.Iter.(*ssa.Range); ok && !t.IsString && x.Index > 0 {
			return m.Extend(m.RawObjects(r.X), facts.StepElem)
		}
	case *ssa.Call:
		return []int{m.Objs.ID(ObjKey{Root: t, Path: fmt.Sprintf("|#%d", x.Index)})}
	}
	return self
}

// contents returns the objects a load from addr yields.
func (m *FuncModel) contents(addr ssa.Value) []int {
	switch a := addr.(type) {
	case *ssa.FieldAddr:
		return m.Extend(m.RawObjects(a.X), FieldName(a.X, a.Field))
	case *ssa.IndexAddr:
		return m.Extend(m.RawObjects(a.X), facts.StepElem)
	}
	return m.Extend(m.RawObjects(addr), facts.StepDeref)
}

// Extend returns the objects at step from each object of base. The keys of
// one class extended by the same step are one object.
func (m *FuncModel) Extend(base []int, step string) []int {
	var out []int
	for _, b := range base {
		first := -1
		for _, k := range m.Objs.classMembers(b, 4) {
			id := m.Objs.ID(k.extend(step))
			if first < 0 {
				first = id
			} else {
				m.Objs.union(first, id)
			}
		}
		if first >= 0 {
			out = AddSet(out, first)
		}
	}
	return out
}

// Objects returns the canonical objects v stands for, with the elements of
// local containers expanded to what was stored in them.
func (m *FuncModel) Objects(v ssa.Value) []int {
	if v == nil || !IsRef(v.Type()) || !IsRef(Strip(v).Type()) {
		return nil // an int in an interface holds no object
	}
	return m.Expand(m.RawObjects(v))
}

// Expand returns the canonical objects of ids, the elements of local
// containers replaced by what was stored in them.
func (m *FuncModel) Expand(ids []int) []int {
	var out []int
	seen := make(map[int]bool)
	var walk func(ids []int)
	walk = func(ids []int) {
		for _, id := range ids {
			c := m.Objs.Find(id)
			if seen[c] {
				continue
			}
			seen[c] = true
			if es, ok := m.elems[c]; ok {
				walk(es)
				continue
			}
			out = AddSet(out, c)
		}
	}
	walk(ids)
	return out
}

// FieldID names field i of struct type t (or of the struct t points at) as
// "pkgpath.Type.field", stable across packages and instantiations.
func FieldID(t types.Type, i int) string {
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
// them are, most of the time, two owners of two indexes. FieldName names
// the common case, a struct reached through a field, exactly.
func anonOwner(st *types.Struct) string {
	owner := facts.AnonPrefix + strconv.Itoa(st.NumFields())
	if st.NumFields() > 0 {
		owner += "_" + st.Field(0).Name()
	}
	return owner
}

// FieldName names field i of the struct x points at (or is), as FieldID
// does; a field of an anonymous struct reached through a field of another
// struct is named through it (Swarm.conns.m), so that two anonymous
// structs of the same shape in one type stay two.
func FieldName(x ssa.Value, i int) string {
	t := x.Type()
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, anon := types.Unalias(t).(*types.Struct)
	if !anon || i >= st.NumFields() {
		return FieldID(x.Type(), i)
	}
	switch outer := x.(type) {
	case *ssa.FieldAddr:
		return FieldName(outer.X, outer.Field) + "." + st.Field(i).Name()
	case *ssa.Field:
		return FieldName(outer.X, outer.Field) + "." + st.Field(i).Name()
	}
	return FieldID(x.Type(), i)
}

// InstrIndex returns the position of instr in block b, or -1.
func InstrIndex(b *ssa.BasicBlock, instr ssa.Instruction) int {
	for i, x := range b.Instrs {
		if x == instr {
			return i
		}
	}
	return -1
}

// RunsBefore reports whether a runs before b on every path to b: earlier
// in b's block, or in a block that dominates b's.
func RunsBefore(a, b ssa.Instruction) bool {
	ab, bb := a.Block(), b.Block()
	if ab == bb {
		return InstrIndex(ab, a) < InstrIndex(bb, b)
	}
	return ab.Dominates(bb)
}

// ReturnsError reports whether fn's last result is of type error: a
// function that can fail.
func ReturnsError(fn *ssa.Function) bool {
	res := fn.Signature.Results()
	return res.Len() > 0 && types.Identical(res.At(res.Len()-1).Type(), types.Universe.Lookup("error").Type())
}
