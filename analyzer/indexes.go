package analyzer

import (
	"fmt"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// IndexKind says what an index is.
type IndexKind int

const (
	// GlobalIndex is a package-level variable; Name is "pkgpath.name".
	GlobalIndex IndexKind = iota + 1
	// FieldIndex is a struct field, shared by every instance; Name is
	// "pkgpath.Type.field".
	FieldIndex
	// ParamIndex is the index passed as parameter Pos (summaries only).
	ParamIndex
	// FreeVarIndex is the index captured as free variable Pos (closures).
	FreeVarIndex
	// LocalIndex is an index known only inside one function (a map that
	// escapes but whose home is unknown); Name says where it was made.
	LocalIndex
)

// IndexID identifies an index across functions and packages.
type IndexID struct {
	Kind IndexKind
	Name string
	Pos  int
}

// String returns the index's name as a user reads it: proxyByName,
// Registry.byName.
func (id IndexID) String() string {
	switch id.Kind {
	case GlobalIndex:
		return shortName(id.Name, 1)
	case FieldIndex:
		return shortName(id.Name, 2)
	case ParamIndex:
		return fmt.Sprintf("p%d", id.Pos)
	case FreeVarIndex:
		return fmt.Sprintf("fv%d", id.Pos)
	}
	return id.Name
}

// shortName keeps the last n dot-separated parts after the package path.
func shortName(qualified string, n int) string {
	s := qualified[strings.LastIndex(qualified, "/")+1:]
	parts := slices.DeleteFunc(strings.Split(s, "."), func(p string) bool { return strings.HasPrefix(p, anonPrefix) })
	if len(parts) > n {
		parts = parts[len(parts)-n:]
	}
	return strings.Join(parts, ".")
}

// indexName names index number i of the function as the user reads it.
func (fe *fnEvents) indexName(i int) string {
	id := fe.indexes[i]
	fn := fe.m.fn
	switch {
	case id.Kind == ParamIndex && id.Pos < len(fn.Params):
		return fn.Params[id.Pos].Name()
	case id.Kind == FreeVarIndex && id.Pos < len(fn.FreeVars):
		return fn.FreeVars[id.Pos].Name()
	}
	return id.String()
}

// exported reports whether the index means the same thing in a caller.
func (id IndexID) exported() bool { return id.Kind == GlobalIndex || id.Kind == FieldIndex }

// indexOf returns the index a map, sync.Map, list or declared index value
// denotes, or false when v is a local container that is no index at all.
func (m *funcModel) indexOf(v ssa.Value) (IndexID, bool) {
	v = strip(v)
	if id, ok := directIndex(v); ok {
		return id, true
	}
	if m.isLocalMap(v) {
		return IndexID{}, false
	}
	if id, ok := m.indexFromClass(v); ok {
		return id, true
	}
	return IndexID{Kind: LocalIndex, Name: localName(v)}, true
}

// directIndex names an index from its address or value alone: a
// package-level variable or a struct field, loaded or not.
func directIndex(v ssa.Value) (IndexID, bool) {
	switch x := strip(v).(type) {
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
	return IndexID{}, false
}

func fieldIndex(x ssa.Value, field int) IndexID {
	return IndexID{Kind: FieldIndex, Name: fieldName(x, field)}
}

// indexFromClass looks through the objects v stands for (a captured
// variable, a value stored once in a field) for a home that outlives the
// function.
func (m *funcModel) indexFromClass(v ssa.Value) (IndexID, bool) {
	return m.indexFromObjects(m.rawObjects(v))
}

func (m *funcModel) indexFromObjects(objs []int) (IndexID, bool) {
	for _, o := range objs {
		var best IndexID
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
	return IndexID{}, false
}

func (m *funcModel) keyIndex(k objKey) (IndexID, bool) {
	steps := splitPath(k.path)
	if n := len(steps); n > 0 && strings.Contains(steps[n-1], ".") {
		return IndexID{Kind: FieldIndex, Name: steps[n-1]}, true
	}
	switch r := k.root.(type) {
	case *ssa.Global:
		if len(steps) <= 1 {
			return globalIndex(r), true
		}
	case *ssa.Parameter:
		if k.path == "" {
			return IndexID{Kind: ParamIndex, Pos: paramPos(m.fn, r)}, true
		}
	case *ssa.FreeVar:
		if len(steps) <= 1 {
			return IndexID{Kind: FreeVarIndex, Pos: freeVarPos(m.fn, r)}, true
		}
	}
	return IndexID{}, false
}

func splitPath(p string) []string {
	if p == "" {
		return nil
	}
	return strings.Split(p[1:], "|")
}

func globalIndex(g *ssa.Global) IndexID {
	name := g.Name()
	if g.Pkg != nil {
		name = g.Pkg.Pkg.Path() + "." + name
	}
	return IndexID{Kind: GlobalIndex, Name: name}
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
