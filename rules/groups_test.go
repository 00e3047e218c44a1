package rules

import (
	"errors"
	"go/types"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const groupsFile = `groups:
  # learned from (*example.com/tree.Root).Remove
  - {indexes: [example.com/tree.Root.nodes, example.com/tree.byKey]}
  - indexes:
      - example.com/tree.Index.sub.m
      - "gopkg.in/yaml.v3.Node.Content"
      - example.com/tree.Tree.m
`

func TestParseFileGroups(t *testing.T) {
	f, err := ParseFile("r.yaml", []byte(groupsFile))
	require.NoError(t, err)
	assert.Equal(t, &File{Name: "r.yaml", Groups: []GroupRule{
		{Indexes: []string{"example.com/tree.Root.nodes", "example.com/tree.byKey"}, Line: 3},
		{Indexes: []string{"example.com/tree.Index.sub.m", "gopkg.in/yaml.v3.Node.Content", "example.com/tree.Tree.m"}, Line: 4},
	}}, f)

	for _, src := range []string{"groups: []\n", "groups:\n", "groups: ~\n"} {
		f, err := ParseFile("r.yaml", []byte(src))
		require.NoError(t, err, src)
		assert.Empty(t, f.Groups)
	}
}

func TestParseFileGroupErrors(t *testing.T) {
	const want = "write {indexes: [NAME, NAME, ...]} with full names such as example.com/pkg.name or example.com/pkg.Type.field"
	const notName = "is not an index name: write the full name of a package-level variable, example.com/pkg.name, or of a struct field, example.com/pkg.Type.field"
	tests := []struct{ src, want string }{
		{"groups: {indexes: [a.b, a.c]}\n", "r.yaml:1: groups must be a list: " + want + " for each group"},
		{"groups:\n  - [a.b, a.c]\n", "r.yaml:2: each group must be a mapping: " + want},
		{"groups:\n  - {}\n", "r.yaml:2: group has no indexes: " + want},
		{"groups:\n  - {indexes: a.b}\n", "r.yaml:2: indexes must be a list: " + want},
		{"groups:\n  - {indexes: [a.b]}\n", "r.yaml:2: a group needs at least two indexes, the ones an object leaves together: " + want},
		{"groups:\n  - {indexes: []}\n", "r.yaml:2: a group needs at least two indexes, the ones an object leaves together: " + want},
		{"groups:\n  - {indexes: [a.b, a.c], index: [a.d]}\n", `r.yaml:2: unknown key "index" in a group: want indexes`},
		{"groups:\n  - {indexes: [a.b, a.c], indexes: [a.d, a.e]}\n", `r.yaml:2: duplicate key "indexes" in a group: keep one`},
		{"groups:\n  - indexes:\n      - a.b\n      - a.b\n", "r.yaml:4: index a.b is listed twice in the group (as at line 3): remove one"},
		{"groups:\n  - indexes:\n      - a.b\n      - [a.c]\n", "r.yaml:4: each index must be a name: " + want},
		{"groups:\n  - {indexes: [a.b, 3]}\n", "r.yaml:2: each index must be a name: " + want},
		{"groups:\n  - {indexes: [a.b, byKey]}\n", `r.yaml:2: index "byKey" ` + notName},
		{"groups:\n  - {indexes: [a.b, example.com/a.T.]}\n", `r.yaml:2: index "example.com/a.T." ` + notName},
		{"groups:\n  - {indexes: [a.b, example.com/a._]}\n", `r.yaml:2: index "example.com/a._" ` + notName},
		{"groups:\n  - {indexes: [a.b, example.com/a]}\n", `r.yaml:2: index "example.com/a" ` + notName},
		{"groups:\n  - {indexes: [a.b, (*a.T).f]}\n", `r.yaml:2: index "(*a.T).f" ` + notName},
		{"groups:\n  - {indexes: [a.b, a.c]}\n  - {indexes: [a.c, a.b]}\n", "r.yaml:3: duplicate group: same indexes as line 2: remove one"},
		// Every problem, in line order.
		{"groups:\n  - indexes:\n      - x\n      - a.b\n  - {indexes: [a.b]}\n  - {indexes: [a.b, a.c]}\n  - {indexes: [a.c, a.b]}\n",
			`r.yaml:3: index "x" ` + notName + "\n" +
				"r.yaml:5: a group needs at least two indexes, the ones an object leaves together: " + want + "\n" +
				"r.yaml:7: duplicate group: same indexes as line 6: remove one"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			f, err := ParseFile("r.yaml", []byte(tt.src))
			assert.EqualError(t, err, tt.want)
			assertProblems(t, err)
			require.NotNil(t, f)
			assertWellFormed(t, f)
		})
	}
}

// TestParseFileKeepsWellFormedGroups: a group with a problem is left out,
// the others kept.
func TestParseFileKeepsWellFormedGroups(t *testing.T) {
	f, err := ParseFile("r.yaml", []byte("groups:\n  - {indexes: [a.b]}\n  - {indexes: [a.b, a.c]}\n"))
	require.Error(t, err)
	assert.Equal(t, []GroupRule{{Indexes: []string{"a.b", "a.c"}, Line: 3}}, f.Groups)
}

func TestResolveGroups(t *testing.T) {
	s, err := resolve(t, `groups:
  - {indexes: [example.com/tree.byKey, example.com/tree.Root.nodes]}
  - {indexes: [example.com/tree.Tree.m, example.com/tree.Index.sub.m, example.com/tree.Alias.nodes]}
  - {indexes: [example.com/tree.NotFunc, example.com/tree.Index.n]}
`)
	require.NoError(t, err)
	assert.Equal(t, [][]string{
		{"example.com/tree.Root.nodes", "example.com/tree.byKey"},
		{"example.com/tree.Index.sub.m", "example.com/tree.Root.nodes", "example.com/tree.Tree.m"},
		{"example.com/tree.Index.n", "example.com/tree.NotFunc"},
	}, s.Groups, "full names as the analyzer spells them: an alias is its type; sorted; in file order")
	assert.NotEmpty(t, s.Lookup("(*sync.Pool).Put"), "the base set is kept")

	// The groups of the base set come first.
	f, err := ParseFile("more.yaml", []byte("groups:\n  - {indexes: [example.com/tree.Index.n, example.com/tree.Index.root]}\n"))
	require.NoError(t, err)
	more, err := f.Resolve(s, treeLookup(t))
	require.NoError(t, err)
	assert.Equal(t, append(s.Groups, []string{"example.com/tree.Index.n", "example.com/tree.Index.root"}), more.Groups)
	assert.Len(t, s.Groups, 3, "the base set is not changed")
}

// TestResolveGroupReadings: a package path may end in a dotted element, so
// an index name is read every way it can be, until one resolves.
func TestResolveGroupReadings(t *testing.T) {
	tree := treeLookup(t)
	dotted := checkPackage(t, "example.com/x.v2", "package x\n\ntype T struct{ f, g int }\n\nvar V int\n")
	lookup := func(path string) (*types.Package, error) {
		if path == "example.com/x.v2" {
			return dotted, nil
		}
		return tree(path)
	}
	f := &File{Name: "r.yaml", Groups: []GroupRule{
		{Indexes: []string{"example.com/x.v2.T.f", "example.com/x.v2.V", "example.com/tree.Root.nodes"}, Line: 4},
	}}
	s, err := f.Resolve(nil, lookup)
	require.NoError(t, err)
	assert.Equal(t, [][]string{{"example.com/tree.Root.nodes", "example.com/x.v2.T.f", "example.com/x.v2.V"}}, s.Groups)
	assert.Equal(t, []string{"example.com/tree", "example.com/tree.Root", "example.com/x", "example.com/x.v2", "example.com/x.v2.T"}, f.Packages())
}

func TestResolveGroupErrors(t *testing.T) {
	tests := []struct{ index, want string }{
		{"example.com/other.T.f", "cannot load package example.com/other: not in the build"},
		{"example.com/nil.v", "unknown package example.com/nil: check the import path in the index name"},
		{"example.com/tree.nope", "package example.com/tree has no variable nope: check the name in the index"},
		{"example.com/tree.Free", "example.com/tree.Free is not a variable: an index is a package-level variable or a struct field"},
		{"example.com/tree.Nope.f", "package example.com/tree has no type Nope: check the type in the index name"},
		{"example.com/tree.byKey.f", "package example.com/tree has no type byKey: check the type in the index name"},
		{"example.com/tree.Holder.f", "type Holder is not a declared struct type: an index is a package-level variable or a struct field"},
		{"example.com/tree.Root.keys", "type Root has no field keys: check the field in the index name"},
		{"example.com/tree.Outer.nodes", "type Outer has no field nodes of its own: write the one it promotes, example.com/tree.Root.nodes"},
		{"example.com/tree.Index.sub.n", "field sub of Index has no field n: check the field in the index name"},
		{"example.com/tree.Index.ptr.m", "field ptr of Index is not a struct and has no field m: check the index name"},
		{"example.com/tree.Index.root.nodes", "field root of Index has type Root: name the index after that type, example.com/tree.Root.nodes"},
		{"example.com/tree.Index.n.m", "field n of Index is not a struct and has no field m: check the index name"},
		{"example.com/tree.Index.err.m", "field err of Index is not a struct and has no field m: check the index name"},
		{"example.com/tree.Index.sub.m.x", "field sub.m of Index is not a struct and has no field x: check the index name"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			_, err := resolve(t, "groups:\n  - {indexes: [example.com/tree.byKey, "+tt.index+"]}\n")
			assert.EqualError(t, err, "rules.yaml:2: "+tt.want)
			var fe *FileError
			require.ErrorAs(t, err, &fe)
		})
	}
}

// TestResolveReportsEveryGroupProblem: every index that does not resolve,
// and two names of one index, each at its group's line, in line order
// with the rules' problems.
func TestResolveReportsEveryGroupProblem(t *testing.T) {
	_, err := resolve(t, `rules:
  - {func: example.com/tree.Nope, op: free, object: x}
groups:
  - {indexes: [example.com/tree.Root.nodes, example.com/tree.Alias.nodes]}
  - {indexes: [example.com/tree.nope, example.com/tree.Root.keys]}
`)
	assert.EqualError(t, err, "rules.yaml:2: package example.com/tree has no function Nope: check the name in func\n"+
		"rules.yaml:4: indexes example.com/tree.Root.nodes and example.com/tree.Alias.nodes are one index, example.com/tree.Root.nodes: list it once\n"+
		"rules.yaml:5: package example.com/tree has no variable nope: check the name in the index\n"+
		"rules.yaml:5: type Root has no field keys: check the field in the index name")
	for _, e := range appendFlat(nil, err) {
		assert.True(t, errors.As(e, new(*FileError)), "%T", e)
	}
}

func TestResolveHandBuiltGroup(t *testing.T) {
	f := &File{Name: "x.yaml", Groups: []GroupRule{{Indexes: []string{"example.com/tree.byKey", "nope"}, Line: 3}}}
	_, err := f.Resolve(nil, treeLookup(t))
	assert.EqualError(t, err, `x.yaml:3: index "nope" is not an index name: write the full name of a package-level variable, example.com/pkg.name, or of a struct field, example.com/pkg.Type.field`)
}
