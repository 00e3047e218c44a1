package model

import (
	"fmt"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
)

// IndexOf returns the index a map, sync.Map, list or declared index value
// denotes, or false when v is a local container that is no index at all.
func (m *FuncModel) IndexOf(v ssa.Value) (facts.IndexID, bool) {
	v = Strip(v)
	if id, ok := DirectIndex(v); ok {
		return id, true
	}
	if m.isLocalMap(v) {
		return facts.IndexID{}, false
	}
	if id, ok := m.indexFromClass(v); ok {
		return id, true
	}
	return facts.IndexID{Kind: facts.LocalIndex, Name: localName(v)}, true
}

// DirectIndex names an index from its address or value alone: a
// package-level variable or a struct field, loaded or not.
func DirectIndex(v ssa.Value) (facts.IndexID, bool) {
	switch x := Strip(v).(type) {
	case *ssa.Global:
		return globalIndex(x), true
	case *ssa.FieldAddr:
		return fieldIndex(x.X, x.Field), true
	case *ssa.Field:
		return fieldIndex(x.X, x.Field), true
	case *ssa.UnOp:
		switch a := x.X.(type) {
		case *ssa.Global:
			return globalIndex(a), true
		case *ssa.FieldAddr:
			return fieldIndex(a.X, a.Field), true
		}
	}
	return facts.IndexID{}, false
}

func fieldIndex(x ssa.Value, field int) facts.IndexID {
	return facts.IndexID{Kind: facts.FieldIndex, Name: FieldName(x, field)}
}

// indexFromClass looks through the objects v stands for (a captured
// variable, a value stored once in a field) for a home that outlives the
// function.
func (m *FuncModel) indexFromClass(v ssa.Value) (facts.IndexID, bool) {
	return m.IndexFromObjects(m.RawObjects(v))
}

// IndexFromObjects looks through the classes of objs for a home that
// outlives the function: a package-level variable, a field, a parameter
// or a captured variable.
func (m *FuncModel) IndexFromObjects(objs []int) (facts.IndexID, bool) {
	for _, o := range objs {
		var best facts.IndexID
		for _, k := range m.Objs.classMembers(o, 16) {
			id, ok := m.keyIndex(k)
			if ok && (best.Kind == 0 || id.Kind < best.Kind) {
				best = id
			}
		}
		if best.Kind != 0 {
			return best, true
		}
	}
	return facts.IndexID{}, false
}

func (m *FuncModel) keyIndex(k ObjKey) (facts.IndexID, bool) {
	steps := facts.SplitPath(k.Path)
	for len(steps) > 1 && steps[len(steps)-1] == facts.StepElem && strings.Contains(steps[len(steps)-2], ".") {
		// A container held in an index (watches[name] is a set of its
		// own): what it holds, the index holds.
		steps = steps[:len(steps)-1]
	}
	if n := len(steps); n > 0 && strings.Contains(steps[n-1], ".") {
		return facts.IndexID{Kind: facts.FieldIndex, Name: steps[n-1]}, true
	}
	switch r := k.Root.(type) {
	case *ssa.Global:
		if len(steps) <= 1 {
			return globalIndex(r), true
		}
	case *ssa.Parameter:
		if k.Path == "" {
			return facts.IndexID{Kind: facts.ParamIndex, Pos: paramPos(m.Fn, r)}, true
		}
	case *ssa.FreeVar:
		if len(steps) <= 1 {
			return facts.IndexID{Kind: facts.FreeVarIndex, Pos: freeVarPos(m.Fn, r)}, true
		}
	}
	return facts.IndexID{}, false
}

func globalIndex(g *ssa.Global) facts.IndexID {
	name := g.Name()
	if g.Pkg != nil {
		name = g.Pkg.Pkg.Path() + "." + name
	}
	return facts.IndexID{Kind: facts.GlobalIndex, Name: name}
}

func localName(v ssa.Value) string {
	if v.Name() != "" && !strings.HasPrefix(v.Name(), "t") {
		return v.Name()
	}
	if p := v.Parent(); p != nil {
		if pos := v.Pos(); pos.IsValid() {
			return fmt.Sprintf("the map made at %s", p.Prog.Fset.Position(pos))
		}
	}
	return "a local map"
}

func paramPos(fn *ssa.Function, p *ssa.Parameter) int {
	for i, q := range fn.Params {
		if q == p {
			return i
		}
	}
	return -1
}

func freeVarPos(fn *ssa.Function, fv *ssa.FreeVar) int {
	for i, q := range fn.FreeVars {
		if q == fv {
			return i
		}
	}
	return -1
}

// IsNamed reports whether t (or what it points at) is the named type
// pkgPath.name.
func IsNamed(t types.Type, pkgPath, name string) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkgPath && n.Obj().Name() == name
}
