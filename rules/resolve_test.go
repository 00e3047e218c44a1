package rules

import (
	"errors"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkPackage type-checks src as the package at path.
func checkPackage(t testing.TB, path, src string) *types.Package {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "src.go", src, 0)
	require.NoError(t, err)
	conf := types.Config{Importer: importer.Default()}
	pkg, err := conf.Check(path, fset, []*ast.File{f}, nil)
	require.NoError(t, err)
	return pkg
}

const treeSrc = `package tree

import "io"

type Root struct{ nodes map[int]*Node }
type Node struct{ key int }
type Tree[K comparable] struct{ m map[K]*Node }
type Holder interface {
	io.Closer
	Hold(n *Node)
}
type Conn interface {
	io.Closer
	Read() int
}
type Outer struct{ *Root }
type Alias = Root

func (r *Root) Insert(n *Node)    {}
func (r *Root) Remove(key int)    {}
func (r Root) Len() int           { return 0 }
func (n *Node) Delete()           {}
func (t *Tree[K]) Put(k K, n *Node) {}
func Free(x *Node)                {}
func Unnamed(*Node)               {}
func None()                       {}

var NotFunc int

var byKey map[int]*Node

type Index struct {
	sub  struct{ m map[int]*Node }
	ptr  *struct{ m map[int]*Node }
	root Root
	n    int
	err  error
}
`

// treeLookup finds example.com/tree and sync; example.com/nil is found as
// nil, and every other package fails to load.
func treeLookup(t testing.TB) func(string) (*types.Package, error) {
	tree := checkPackage(t, "example.com/tree", treeSrc)
	return func(path string) (*types.Package, error) {
		switch path {
		case "example.com/tree":
			return tree, nil
		case "example.com/nil":
			return nil, nil
		case "sync":
			return importer.Default().Import(path)
		}
		return nil, errors.New("not in the build")
	}
}

// resolve parses and resolves a rules file over the built-in set.
func resolve(t *testing.T, src string) (*Set, error) {
	t.Helper()
	f, err := ParseFile("rules.yaml", []byte(src))
	require.NoError(t, err)
	base, err := Builtin()
	require.NoError(t, err)
	return f.Resolve(base, treeLookup(t))
}

func TestResolve(t *testing.T) {
	s, err := resolve(t, `rules:
  - func: (*example.com/tree.Root).Insert
    op: insert
    index: r
    object: n
  - func: (*example.com/tree.Root).Insert
    op: free
    object: 1
  - func: (*example.com/tree.Root).Remove
    op: delete
    index: 0
    object: _
  - func: (*example.com/tree.Node).Delete
    op: delete
    object: n
  - func: example.com/tree.Free
    op: free
    object: x
  - func: (*example.com/tree.Tree[K]).Put
    op: insert
    index: t
    object: n
  - func: (example.com/tree.Holder).Hold
    op: insert
    index: 0
    object: n
  - func: (example.com/tree.Root).Len
    op: delete
    index: r
    object: _
  - func: (*example.com/tree.Alias).Insert
    op: delete
    index: r
    object: n
  - func: (*sync.Pool).Put
    op: free
    object: x
  - func: (example.com/tree.Holder).Close
    op: close
    object: 0
  - func: (example.com/tree.Holder).Hold
    op: keep
    object: n
`)
	require.NoError(t, err)
	assert.Equal(t, []Op{{Insert, 0, 1}, {Free, Any, 1}, {Delete, 0, 1}}, s.Lookup("(*example.com/tree.Root).Insert"))
	assert.Equal(t, []Op{{Delete, 0, Any}}, s.Lookup("(*example.com/tree.Root).Remove"))
	assert.Equal(t, []Op{{Delete, Any, 0}}, s.Lookup("(*example.com/tree.Node).Delete"))
	assert.Equal(t, []Op{{Free, Any, 0}}, s.Lookup("example.com/tree.Free"))
	assert.Equal(t, []Op{{Insert, 0, 2}}, s.Lookup("(*example.com/tree.Tree[K]).Put"))
	assert.Equal(t, []Op{{Insert, 0, 1}, {Keep, Any, 1}}, s.Lookup("(example.com/tree.Holder).Hold"))
	assert.Equal(t, []Op{{Close, Any, 0}}, s.Lookup("(io.Closer).Close"), "an embedded method is the embedded interface's")
	assert.Equal(t, []Op{{Delete, 0, Any}}, s.Lookup("(example.com/tree.Root).Len"))
	// The rules file replaces a built-in function's operations, and keeps
	// the others and the kinds.
	assert.Equal(t, []Op{{Free, Any, 1}}, s.Lookup("(*sync.Pool).Put"))
	assert.Equal(t, []Op{{Insert, 0, 1}}, s.Lookup("(*container/list.List).PushBack"))
	assert.True(t, s.MapKind())
}

func TestResolveGenericWithoutTypeParams(t *testing.T) {
	s, err := resolve(t, "rules:\n  - {func: (*example.com/tree.Tree).Put, op: free, object: k}\n")
	require.NoError(t, err)
	assert.Equal(t, []Op{{Free, Any, 1}}, s.Lookup("(*example.com/tree.Tree[K]).Put"))
}

func TestResolveErrors(t *testing.T) {
	tests := []struct{ rule, want string }{
		{"{func: example.com/other.Free, op: free, object: x}",
			"rules.yaml:2: cannot load package example.com/other: not in the build"},
		{"{func: example.com/nil.Free, op: free, object: x}",
			"rules.yaml:2: unknown package example.com/nil: check the import path in func"},
		{"{func: example.com/tree.Root.Insert, op: free, object: x}",
			"rules.yaml:2: func \"example.com/tree.Root.Insert\": example.com/tree.Root is a type, not a package: a method's full name has its receiver in parentheses, (example.com/tree.Root).Insert, or (*example.com/tree.Root).Insert for a pointer receiver"},
		{"{func: example.com/tree.Frees, op: free, object: x}",
			"rules.yaml:2: package example.com/tree has no function Frees: check the name in func"},
		{"{func: example.com/tree.Insert, op: free, object: n}",
			"rules.yaml:2: package example.com/tree has no function Insert: for the method, write (*example.com/tree.Root).Insert"},
		{"{func: example.com/tree.NotFunc, op: free, object: x}",
			"rules.yaml:2: example.com/tree.NotFunc is not a function: name a function or method in func"},
		{"{func: (*example.com/tree.Roots).Insert, op: free, object: n}",
			"rules.yaml:2: package example.com/tree has no type Roots: check the receiver in func"},
		{"{func: (*example.com/tree.Root).Put, op: free, object: n}",
			"rules.yaml:2: type Root has no method Put: check the name in func"},
		{"{func: (*example.com/tree.Outer).Insert, op: free, object: n}",
			"rules.yaml:2: type Outer has no method Insert of its own: write the one it promotes, (*example.com/tree.Root).Insert"},
		{"{func: (example.com/tree.Root).Insert, op: free, object: n}",
			"rules.yaml:2: method Insert has a pointer receiver: write (*example.com/tree.Root).Insert"},
		{"{func: (*example.com/tree.Root).Len, op: free, object: r}",
			"rules.yaml:2: method Len has a value receiver: write (example.com/tree.Root).Len"},
		{"{func: (*example.com/tree.Holder).Hold, op: free, object: n}",
			"rules.yaml:2: method Hold has a value receiver: write (example.com/tree.Holder).Hold"},
		{"{func: (*example.com/tree.Root).Insert, op: insert, index: root, object: n}",
			`rules.yaml:2: no parameter named "root": want one of r, n`},
		{"{func: (*example.com/tree.Root).Insert, op: close, object: c}",
			`rules.yaml:2: no parameter named "c": want one of r, n`},
		{"{func: example.com/tree.None, op: keep, object: 0}",
			"rules.yaml:2: position 0 is out of range: the function has no parameters"},
		{"{func: example.com/tree.Unnamed, op: free, object: x}",
			`rules.yaml:2: no parameter named "x": the parameters have no names: use a position`},
		{"{func: example.com/tree.None, op: free, object: x}",
			`rules.yaml:2: no parameter named "x": the function has no parameters`},
		{"{func: example.com/tree.None, op: free, object: 0}",
			"rules.yaml:2: position 0 is out of range: the function has no parameters"},
		{"{func: (*example.com/tree.Root).Insert, op: free, object: 2}",
			"rules.yaml:2: position 2 is out of range: want 0 to 1, where a method's receiver is 0"},
		{`{func: (*example.com/tree.Root).Insert, op: free, object: "99999999999999999999"}`,
			"rules.yaml:2: position 99999999999999999999 is out of range: want 0 to 1, where a method's receiver is 0"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			_, err := resolve(t, "rules:\n  - "+tt.rule+"\n")
			assert.EqualError(t, err, tt.want)
			var fe *FileError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, 2, fe.Line)
		})
	}
}

func TestResolveDuplicateByPosition(t *testing.T) {
	_, err := resolve(t, `rules:
  - {func: example.com/tree.Free, op: free, object: x}
  - {func: example.com/tree.Free, op: free, object: 0}
  - {func: example.com/tree.Frees, op: free, object: 0}
`)
	assert.EqualError(t, err, "rules.yaml:3: duplicate rule: example.com/tree.Free does free 0 as declared at line 2: remove one\n"+
		"rules.yaml:4: package example.com/tree has no function Frees: check the name in func")
}

// TestResolveMergesOneFunctionUnderTwoNames: both interfaces embed
// io.Closer, so both rules are rules of (io.Closer).Close.
func TestResolveMergesOneFunctionUnderTwoNames(t *testing.T) {
	s, err := resolve(t, `rules:
  - {func: (example.com/tree.Holder).Close, op: close, object: 0}
  - {func: (example.com/tree.Conn).Close, op: close, object: 0}
  - {func: (example.com/tree.Conn).Close, op: delete, index: _, object: 0}
  - {func: (*example.com/tree.Tree).Put, op: insert, index: t, object: n}
  - {func: "(*example.com/tree.Tree[K]).Put", op: insert, index: 0, object: 2}
  - {func: (*example.com/tree.Alias).Insert, op: insert, index: r, object: n}
  - {func: (*example.com/tree.Root).Insert, op: insert, index: r, object: n}
`)
	require.NoError(t, err)
	assert.Equal(t, []Op{{Close, Any, 0}, {Delete, Any, 0}}, s.Lookup("(io.Closer).Close"))
	assert.Equal(t, []Op{{Insert, 0, 2}}, s.Lookup("(*example.com/tree.Tree[K]).Put"))
	assert.Equal(t, []Op{{Insert, 0, 1}}, s.Lookup("(*example.com/tree.Root).Insert"))
}

func TestResolveContradictions(t *testing.T) {
	_, err := resolve(t, `rules:
  - {func: (example.com/tree.Holder).Close, op: close, object: 0}
  - {func: (example.com/tree.Holder).Hold, op: keep, object: n}
  - {func: (example.com/tree.Conn).Close, op: keep, object: 0}
  - {func: (example.com/tree.Holder).Hold, op: free, object: 1}
  - {func: (example.com/tree.Holder).Hold, op: close, object: 0}
`)
	assert.EqualError(t, err, "rules.yaml:4: keep of 0 contradicts the close at line 2, both of (io.Closer).Close: a function cannot both keep an object and end its life; drop one\n"+
		"rules.yaml:5: free of 1 contradicts the keep at line 3, both of (example.com/tree.Holder).Hold: a function cannot both keep an object and end its life; drop one")
}

// TestResolveReportsEveryRule: every rule is resolved, and its problems
// come in line order.
func TestResolveReportsEveryRule(t *testing.T) {
	f := &File{Name: "x.yaml", Rules: []Rule{
		{Func: "example.com/tree.Free", Op: Keep, Object: "y", Line: 9},
		{Func: "example.com/tree.Free", Op: Free, Object: "x", Line: 2},
		{Func: "example.com/tree.Nope", Op: Close, Object: "x", Line: 5},
	}}
	_, err := f.Resolve(nil, treeLookup(t))
	assert.EqualError(t, err, "x.yaml:5: package example.com/tree has no function Nope: check the name in func\n"+
		`x.yaml:9: no parameter named "y": want one of x`)
}

func TestResolveHandBuiltFile(t *testing.T) {
	f := &File{Name: "x.yaml", Rules: []Rule{{Func: "example.com/tree.Free", Op: Read, Object: "x", Line: 3}}}
	_, err := f.Resolve(nil, treeLookup(t))
	assert.EqualError(t, err, "x.yaml:3: unknown op read: want insert, delete, free, close, keep or none")
}

func TestFilePackages(t *testing.T) {
	f := &File{Name: "r.yaml", Rules: []Rule{
		{Func: "example.com/slab.Free"},
		{Func: "(*example.com/tree.Root).Insert"},
		{Func: "(example.com/a/b.T).M"},
		{Func: "(*example.com/tree.Tree[K]).Insert"},
		{Func: "(*container/list.List).PushBack"},
		{Func: "Free"},
		{Func: "(*broken.Insert"},
	}}
	assert.Equal(t, []string{"container/list", "example.com/a/b", "example.com/slab", "example.com/tree"}, f.Packages())
}
