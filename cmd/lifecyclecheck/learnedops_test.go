package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// packagesImporter imports the packages type-checked so far.
type packagesImporter map[string]*types.Package

func (m packagesImporter) Import(path string) (*types.Package, error) {
	if p := m[path]; p != nil {
		return p, nil
	}
	return nil, fmt.Errorf("no package %s", path)
}

// typeCheck type-checks src as the package at path, importing pkgs, and
// adds it to them.
func typeCheck(t *testing.T, pkgs packagesImporter, path, src string) *types.Package {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "src.go", src, 0)
	require.NoError(t, err)
	pkg, err := (&types.Config{Importer: pkgs}).Check(path, fset, []*ast.File{f}, nil)
	require.NoError(t, err)
	pkgs[path] = pkg
	return pkg
}

func param(pos int) analyzer.Operand { return analyzer.Operand{Base: analyzer.ParamOperand, Pos: pos} }

func field(name string) analyzer.IndexID {
	return analyzer.IndexID{Kind: analyzer.FieldIndex, Name: "example.com/hub.Hub." + name}
}

var paramIndex0 = analyzer.IndexID{Kind: analyzer.ParamIndex, Pos: 0}

// TestWriteLearned prints a hand-made Learned of two packages: the
// effects a rule can say and those it cannot, deduplicated, and groups,
// each once, after every place it was learned, or as a comment when a
// rules file cannot name its indexes.
func TestWriteLearned(t *testing.T) {
	t.Parallel()
	pkgs := packagesImporter{}
	hub := typeCheck(t, pkgs, "example.com/hub", `package hub

type Conn struct{ ID string }
type Hub struct{ a, b, c map[string]*Conn }

var byName map[string]*Conn

func (h *Hub) remove(c *Conn)             {}
func (h *Hub) Close() error               { return nil }
func evict(h *Hub, c *Conn)               {}
func put(m map[string]*Conn, c *Conn)     {}
func putMore(m map[string]*Conn, c *Conn) {}
`)
	other := typeCheck(t, pkgs, "example.com/other", `package other

import "example.com/hub"

func drop(h *hub.Hub, c *hub.Conn) {}
`)
	fn := func(pkg *types.Package, name string) *types.Func {
		if tn, ok := pkg.Scope().Lookup("Hub").(*types.TypeName); ok {
			for m := range tn.Type().(*types.Named).Methods() {
				if m.Name() == name {
					return m
				}
			}
		}
		f, ok := pkg.Scope().Lookup(name).(*types.Func)
		require.True(t, ok, name)
		return f
	}
	sig := fn(hub, "put").Signature()
	ghost := types.NewFunc(token.NoPos, hub, "ghost", sig) // not in the package's scope
	hubLearned := &analyzer.Learned{Summaries: map[*types.Func]*analyzer.Summary{
		fn(hub, "put"): {Effects: []analyzer.Effect{
			{Op: rules.Insert, Object: param(1), Index: paramIndex0},
			{Op: rules.Insert, Object: param(1), Index: paramIndex0},
			{Op: rules.Insert, Object: param(1), Index: paramIndex0, Guard: &analyzer.Guard{Result: 0, Nil: true, Value: true}},
			{Op: rules.Insert, Object: analyzer.Operand{Base: analyzer.ResultOperand, Pos: 0}, Index: paramIndex0},
			{Op: rules.Keep, Object: param(1)},
		}},
		fn(hub, "putMore"): {Effects: []analyzer.Effect{
			{Op: rules.Insert, Object: param(1), Index: paramIndex0, Ident: true},
			{Op: rules.Delete, Object: param(1), Index: paramIndex0, Key: &analyzer.Operand{Base: analyzer.ParamOperand, Pos: 1}},
			{Op: rules.Close, Object: analyzer.Operand{Base: analyzer.ParamOperand, Pos: 1, Path: "|example.com/hub.Conn.ID"}},
			{Op: rules.Delete, Object: analyzer.Operand{}, Index: field("c")}, // by a key no parameter gives: left out
			{Op: rules.Delete, Object: param(1)},                              // out of whatever index (a cleanup in a field): left out
			{Op: rules.Delete, Object: analyzer.Operand{}, Index: field("d"), By: &analyzer.Operand{Base: analyzer.ParamOperand, Pos: 1}},
		}},
		fn(hub, "remove"): {
			Effects: []analyzer.Effect{
				{Op: rules.Delete, Object: param(1), Index: field("b")},
				{Op: rules.Delete, Object: param(1), Index: field("a")},
			},
			Groups: []analyzer.Group{{Object: param(1), Indexes: []analyzer.IndexID{field("a"), field("b")}, Where: "hub.go:7"}},
		},
		fn(hub, "evict"): {Groups: []analyzer.Group{
			{Object: param(1), Indexes: []analyzer.IndexID{field("b"), field("a")}, Where: "hub.go:9"},
			{Object: param(1), Indexes: []analyzer.IndexID{field("a"), {Kind: analyzer.LocalIndex, Name: "seen"}}, Where: "hub.go:10"},
			{Object: param(1), Indexes: []analyzer.IndexID{field("a"), {Kind: analyzer.FieldIndex, Name: "example.com/hub.struct_2_a.x"}}, Where: "hub.go:11"},
		}},
		fn(hub, "Close"): {
			Effects: []analyzer.Effect{{Op: rules.Close, Object: param(0)}},
			Groups:  []analyzer.Group{{Object: param(1), Indexes: []analyzer.IndexID{{Kind: analyzer.GlobalIndex, Name: "example.com/hub.byName"}, field("c")}}},
		},
		ghost: {Effects: []analyzer.Effect{{Op: rules.Insert, Object: param(1), Index: paramIndex0}}},
	}}
	otherLearned := &analyzer.Learned{Summaries: map[*types.Func]*analyzer.Summary{
		fn(other, "drop"): {Groups: []analyzer.Group{
			{Object: param(1), Indexes: []analyzer.IndexID{field("a"), field("b")}, Where: "other.go:5"},
			{Object: param(1), Indexes: []analyzer.IndexID{field("c"), field("a")}, Where: "other.go:6"},
		}},
	}}
	lookup := func(path string) (*types.Package, error) { return pkgs[path], nil }
	var out bytes.Buffer
	require.NoError(t, writeLearned(&out, []learnedPackage{{"example.com/hub", hubLearned}, {"example.com/none", &analyzer.Learned{}}, {"example.com/other", otherLearned}}, lookup))
	assert.Equal(t, `rules:
  # package example.com/hub
  - {func: "(*example.com/hub.Hub).Close", op: close, object: 0}
  - {func: "(*example.com/hub.Hub).remove", op: delete, object: 1, index: _}  # from Hub.a, Hub.b
  # {func: "example.com/hub.ghost", op: insert, object: 1, index: 0} (a rules file cannot say it: package example.com/hub has no function ghost: check the name in func)
  - {func: "example.com/hub.put", op: insert, object: 1, index: 0}
  # example.com/hub.put inserts p1 into p0 if r0 == nil (only under that condition; a rule cannot state it)
  # example.com/hub.put inserts r0 into p0 (a result; a rule names only parameters)
  # example.com/hub.putMore inserts p1 into p0 (it goes in under its identity, a key naming it; a rule would store the object itself)
  # example.com/hub.putMore replaces the entry under key p1 in p0 (a rule cannot name the key)
  # example.com/hub.putMore closes p1.ID (a field of a parameter; a rule names only whole parameters)
  # example.com/hub.putMore deletes by key from Hub.d (a delete by key from a field index; a rule cannot name the index)
groups:
  # package example.com/hub
  # learned from (*example.com/hub.Hub).Close
  - {indexes: [example.com/hub.Hub.c, example.com/hub.byName]}
  # learned from (*example.com/hub.Hub).remove at hub.go:7
  # learned from example.com/hub.evict at hub.go:9
  # learned from example.com/other.drop at other.go:5
  - {indexes: [example.com/hub.Hub.a, example.com/hub.Hub.b]}
  # learned from example.com/hub.evict at hub.go:10
  # group p1 from Hub.a, seen (seen is an index of the function's own; a rules file cannot name it)
  # learned from example.com/hub.evict at hub.go:11
  # {indexes: [example.com/hub.Hub.a, example.com/hub.struct_2_a.x]} (a rules file cannot say it: package example.com/hub has no type struct_2_a: check the type in the index name)
  # package example.com/other
  # learned from example.com/other.drop at other.go:6
  - {indexes: [example.com/hub.Hub.a, example.com/hub.Hub.c]}
`, out.String())

	f, err := rules.ParseFile("learned.yaml", out.Bytes())
	require.NoError(t, err)
	s, err := f.Resolve(nil, lookup)
	require.NoError(t, err)
	assert.Equal(t, [][]string{
		{"example.com/hub.Hub.c", "example.com/hub.byName"},
		{"example.com/hub.Hub.a", "example.com/hub.Hub.b"},
		{"example.com/hub.Hub.a", "example.com/hub.Hub.c"},
	}, s.Groups)
	assert.Equal(t, []rules.Op{{Kind: rules.Delete, Index: rules.Any, Object: 1}}, s.Lookup("(*example.com/hub.Hub).remove"))
}

func TestWriteLearnedNothing(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, writeLearned(&out, []learnedPackage{{"example.com/none", &analyzer.Learned{}}}, nil))
	assert.Equal(t, "rules: []\ngroups: []\n", out.String())
	_, err := rules.ParseFile("learned.yaml", out.Bytes())
	assert.NoError(t, err)
}

func TestYAMLScalar(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "example.com/a-b/c.v2.T.f", yamlScalar("example.com/a-b/c.v2.T.f"))
	assert.Equal(t, `"example.com/ä.T.f"`, yamlScalar("example.com/ä.T.f"))
	assert.Equal(t, `"-x.y"`, yamlScalar("-x.y"))
}
