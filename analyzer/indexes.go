package analyzer

import (
	"fmt"
	"go/types"
	"strings"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"golang.org/x/tools/go/ssa"
)

// indexName names index number i of the function as the user reads it.
func (fe *fnEvents) indexName(i int) string {
	id := fe.indexes[i]
	fn := fe.m.fn
	switch {
	case id.Kind == facts.ParamIndex && id.Pos < len(fn.Params):
		return fn.Params[id.Pos].Name()
	case id.Kind == facts.FreeVarIndex && id.Pos < len(fn.FreeVars):
		return fn.FreeVars[id.Pos].Name()
	}
	return id.String()
}

// indexOf returns the index a map, sync.Map, list or declared index value
// denotes, or false when v is a local container that is no index at all.
func (m *funcModel) indexOf(v ssa.Value) (facts.IndexID, bool) {
	v = strip(v)
	if id, ok := directIndex(v); ok {
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

// directIndex names an index from its address or value alone: a
// package-level variable or a struct field, loaded or not.
func directIndex(v ssa.Value) (facts.IndexID, bool) {
	switch x := strip(v).(type) {
	case *ssa.Global:
		return globalIndex(x), true
	case *ssa.FieldAddr:
		return fieldIndex(x.X.Type(), x.Field), true
	case *ssa.Field:
		return fieldIndex(x.X.Type(), x.Field), true
	case *ssa.UnOp:
		switch a := x.X.(type) {
		case *ssa.Global:
			return globalIndex(a), true
		case *ssa.FieldAddr:
			return fieldIndex(a.X.Type(), a.Field), true
		}
	}
	return facts.IndexID{}, false
}

func fieldIndex(t types.Type, field int) facts.IndexID {
	return facts.IndexID{Kind: facts.FieldIndex, Name: fieldID(t, field)}
}

// indexFromClass looks through the objects v stands for (a captured
// variable, a value stored once in a field) for a home that outlives the
// function.
func (m *funcModel) indexFromClass(v ssa.Value) (facts.IndexID, bool) {
	return m.indexFromObjects(m.rawObjects(v))
}

func (m *funcModel) indexFromObjects(objs []int) (facts.IndexID, bool) {
	for _, o := range objs {
		var best facts.IndexID
		for _, k := range m.objs.classMembers(o, 16) {
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

func (m *funcModel) keyIndex(k objKey) (facts.IndexID, bool) {
	steps := facts.SplitPath(k.path)
	if n := len(steps); n > 0 && strings.Contains(steps[n-1], ".") {
		return facts.IndexID{Kind: facts.FieldIndex, Name: steps[n-1]}, true
	}
	switch r := k.root.(type) {
	case *ssa.Global:
		if len(steps) <= 1 {
			return globalIndex(r), true
		}
	case *ssa.Parameter:
		if k.path == "" {
			return facts.IndexID{Kind: facts.ParamIndex, Pos: paramPos(m.fn, r)}, true
		}
	case *ssa.FreeVar:
		if len(steps) <= 1 {
			return facts.IndexID{Kind: facts.FreeVarIndex, Pos: freeVarPos(m.fn, r)}, true
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

// isNamed reports whether t (or what it points at) is the named type
// pkgPath.name.
func isNamed(t types.Type, pkgPath, name string) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkgPath && n.Obj().Name() == name
}
