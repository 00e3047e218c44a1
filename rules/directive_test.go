package rules

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseDirective(t *testing.T) {
	tests := []struct {
		text    string
		ok      bool
		verb    string
		args    []string
		wantErr string
	}{
		{text: "// a plain comment"},
		{text: "/* lifecycle:free x */"},
		{text: "//go:noinline"},
		{text: "// lifecycle: the object lives long"},
		{text: "//lifecycle:insert t n", ok: true, verb: "insert", args: []string{"t", "n"}},
		{text: "//lifecycle:insert\tt   n ", ok: true, verb: "insert", args: []string{"t", "n"}},
		{text: "//lifecycle:delete t n", ok: true, verb: "delete", args: []string{"t", "n"}},
		{text: "//lifecycle:delete _ n", ok: true, verb: "delete", args: []string{"_", "n"}},
		{text: "//lifecycle:delete t _", ok: true, verb: "delete", args: []string{"t", "_"}},
		{text: "//lifecycle:free x", ok: true, verb: "free", args: []string{"x"}},
		{text: "//lifecycle:free x // the pool owns x", ok: true, verb: "free", args: []string{"x"}},
		{text: "//lifecycle:close c", ok: true, verb: "close", args: []string{"c"}},
		{text: "//lifecycle:keep c // the registry owns c", ok: true, verb: "keep", args: []string{"c"}},
		{text: "//lifecycle:ignore see https://go.dev/issue/1 // why", ok: true, verb: "ignore", args: []string{"see https://go.dev/issue/1"}},
		{text: "//lifecycle:ignore freed by the pool's owner,  later", ok: true, verb: "ignore", args: []string{"freed by the pool's owner,  later"}},

		{text: "//lifecycle: // nothing", ok: true, wantErr: "empty lifecycle directive: want //lifecycle:insert, delete, free, close, keep, none or ignore"},
		{text: "//lifecycle:insert x // want 1", ok: true, verb: "insert", wantErr: "//lifecycle:insert takes 2 names, got 1: write //lifecycle:insert INDEX OBJ"},
		{text: "//lifecycle:ignore // no reason", ok: true, verb: "ignore", wantErr: "//lifecycle:ignore needs a reason: write //lifecycle:ignore REASON"},
		{text: "// lifecycle:free x // why", ok: true, verb: "free", wantErr: "unexpected space after //: write //lifecycle:free"},
		{text: "//lifecycle:", ok: true, wantErr: "empty lifecycle directive: want //lifecycle:insert, delete, free, close, keep, none or ignore"},
		{text: "//lifecycle:frees x", ok: true, verb: "frees", wantErr: `unknown lifecycle directive "frees": want insert, delete, free, close, keep, none or ignore`},
		{text: "//lifecycle:Free x", ok: true, verb: "Free", wantErr: `unknown lifecycle directive "Free": want insert, delete, free, close, keep, none or ignore`},
		{text: "//lifecycle: insert t n", ok: true, verb: "insert", wantErr: `unexpected space after "//lifecycle:": write //lifecycle:insert`},
		{text: "// lifecycle:free x", ok: true, verb: "free", wantErr: "unexpected space after //: write //lifecycle:free"},
		{text: "//lifecycle:insert t", ok: true, verb: "insert", wantErr: "//lifecycle:insert takes 2 names, got 1: write //lifecycle:insert INDEX OBJ"},
		{text: "//lifecycle:delete t n m", ok: true, verb: "delete", wantErr: "//lifecycle:delete takes 2 names, got 3: write //lifecycle:delete INDEX OBJ"},
		{text: "//lifecycle:free", ok: true, verb: "free", wantErr: "//lifecycle:free takes 1 name, got 0: write //lifecycle:free OBJ"},
		{text: "//lifecycle:free x y", ok: true, verb: "free", wantErr: "//lifecycle:free takes 1 name, got 2: write //lifecycle:free OBJ"},
		{text: "//lifecycle:free _", ok: true, verb: "free", wantErr: "//lifecycle:free needs the freed object: write //lifecycle:free OBJ with a parameter name"},
		{text: "//lifecycle:close", ok: true, verb: "close", wantErr: "//lifecycle:close takes 1 name, got 0: write //lifecycle:close OBJ"},
		{text: "//lifecycle:close c d", ok: true, verb: "close", wantErr: "//lifecycle:close takes 1 name, got 2: write //lifecycle:close OBJ"},
		{text: "//lifecycle:close _", ok: true, verb: "close", wantErr: "//lifecycle:close needs the closed object: write //lifecycle:close OBJ with a parameter name"},
		{text: "//lifecycle:keep", ok: true, verb: "keep", wantErr: "//lifecycle:keep takes 1 name, got 0: write //lifecycle:keep OBJ"},
		{text: "//lifecycle:keep _", ok: true, verb: "keep", wantErr: "//lifecycle:keep needs the kept object: write //lifecycle:keep OBJ with a parameter name"},
		{text: "//lifecycle:keep 1", ok: true, verb: "keep", wantErr: `"1" is not a parameter name: write the name of a parameter, or _`},
		{text: "// lifecycle:close c", ok: true, verb: "close", wantErr: "unexpected space after //: write //lifecycle:close"},
		{text: "//\tlifecycle:keep c", ok: true, verb: "keep", wantErr: "unexpected space after //: write //lifecycle:keep"},
		{text: "//lifecycle:closes c", ok: true, verb: "closes", wantErr: `unknown lifecycle directive "closes": want insert, delete, free, close, keep, none or ignore`},
		{text: "//lifecycle:free 0", ok: true, verb: "free", wantErr: `"0" is not a parameter name: write the name of a parameter, or _`},
		{text: "//lifecycle:free p.x", ok: true, verb: "free", wantErr: `"p.x" is not a parameter name: write the name of a parameter, or _`},
		{text: "//lifecycle:insert t func", ok: true, verb: "insert", wantErr: `"func" is not a parameter name: write the name of a parameter, or _`},
		{text: "//lifecycle:insert _ n", ok: true, verb: "insert", wantErr: "//lifecycle:insert needs both index and object: write //lifecycle:insert INDEX OBJ with parameter names"},
		{text: "//lifecycle:delete _ _", ok: true, verb: "delete", wantErr: "//lifecycle:delete _ _ names neither index nor object: name at least one of them"},
		{text: "//lifecycle:ignore", ok: true, verb: "ignore", wantErr: "//lifecycle:ignore needs a reason: write //lifecycle:ignore REASON"},
		{text: "//lifecycle:ignore   ", ok: true, verb: "ignore", wantErr: "//lifecycle:ignore needs a reason: write //lifecycle:ignore REASON"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			d, ok, err := ParseDirective(tt.text)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.verb, d.Verb)
			if tt.wantErr != "" {
				assert.EqualError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.args, d.Args)
		})
	}
}

func TestDirectiveString(t *testing.T) {
	assert.Equal(t, "//lifecycle:delete _ n", Directive{Verb: "delete", Args: []string{"_", "n"}}.String())
	assert.Equal(t, "//lifecycle:", Directive{}.String())
}

// parseSource parses a file of package p with comments.
func parseSource(t *testing.T, src string) (*token.FileSet, *ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	require.NoError(t, err)
	return fset, f
}

const directivesSrc = `package p

// Put stores n in t.
//
//lifecycle:insert t n
//lifecycle:frees n
//lifecycle:ignore not an operation
//lifecycle:ignore
func Put(t map[int]*int, n *int) {
	//lifecycle:free n
	_ = n //lifecycle:ignore the caller checks
}

//lifecycle:free x
var x int

//lifecycle:delete _
type T struct{}

func NoDoc() {}
`

func TestFuncDirectives(t *testing.T) {
	fset, f := parseSource(t, directivesSrc)
	ds, errs := FuncDirectives(f.Decls[0].(*ast.FuncDecl))
	require.Len(t, ds, 1)
	assert.Equal(t, "//lifecycle:insert t n", ds[0].String())
	assert.Equal(t, 5, fset.Position(ds[0].Pos).Line)
	require.Len(t, errs, 1)
	assert.Equal(t, 6, fset.Position(errs[0].Pos).Line)
	assert.EqualError(t, errs[0], `unknown lifecycle directive "frees": want insert, delete, free, close, keep, none or ignore`)

	ds, errs = FuncDirectives(f.Decls[3].(*ast.FuncDecl))
	assert.Empty(t, ds)
	assert.Empty(t, errs)
}

func TestIgnoreDirectives(t *testing.T) {
	fset, f := parseSource(t, directivesSrc)
	igs, errs := IgnoreDirectives(fset, f)
	require.Len(t, igs, 2)
	assert.Equal(t, "not an operation", igs[0].Reason)
	assert.Equal(t, 7, igs[0].Line)
	assert.Equal(t, "the caller checks", igs[1].Reason)
	assert.Equal(t, 11, igs[1].Line)
	assert.Equal(t, 11, fset.Position(igs[1].Pos).Line)
	require.Len(t, errs, 1)
	assert.Equal(t, 8, fset.Position(errs[0].Pos).Line)
	assert.EqualError(t, errs[0], "//lifecycle:ignore needs a reason: write //lifecycle:ignore REASON")
}

func TestIgnoreCovers(t *testing.T) {
	ig := Ignore{Line: 10}
	assert.False(t, ig.Covers(9))
	assert.True(t, ig.Covers(10))
	assert.True(t, ig.Covers(11))
	assert.False(t, ig.Covers(12))
}

func TestMisplacedDirectives(t *testing.T) {
	fset, f := parseSource(t, directivesSrc)
	errs := MisplacedDirectives(f)
	var got []string
	for _, e := range errs {
		got = append(got, fset.Position(e.Pos).String()+": "+e.Msg)
	}
	assert.Equal(t, []string{
		"p.go:10:2: misplaced //lifecycle:free n: put it in the doc comment of the function that performs it",
		"p.go:14:1: misplaced //lifecycle:free x: it is on var x, not a function: put it in the doc comment of the function that performs it",
		"p.go:17:1: //lifecycle:delete takes 2 names, got 1: write //lifecycle:delete INDEX OBJ",
	}, got)
}

// misplacedSrc puts close and keep directives on everything but a function.
const misplacedSrc = `// Package p is documented.
//
//lifecycle:keep p
package p

import "io"

//lifecycle:close c
type Conn struct {
	//lifecycle:close c
	r io.Reader
	w io.Writer //lifecycle:keep w
	//lifecycle:close c
	*Conn
}

// Closer closes.
type Closer interface {
	//lifecycle:close c
	Close() error
	//lifecycle:keep c
	io.Reader
}

//lifecycle:keep x
const x = 1

var (
	//lifecycle:close y
	y, z int
)

//lifecycle:close f
var f = func(c *Conn) {}

//lifecycle:close c
func (c *Conn) Close() error {
	//lifecycle:keep c
	return nil
}

// Keep is a function: its directives are in place.
//
//lifecycle:keep c
func Keep(c *Conn) {}
`

func TestMisplacedCloseAndKeep(t *testing.T) {
	fset, f := parseSource(t, misplacedSrc)
	var got []string
	for _, e := range MisplacedDirectives(f) {
		got = append(got, fmt.Sprintf("%d: %s", fset.Position(e.Pos).Line, e.Msg))
	}
	const fix = "not a function: put it in the doc comment of the function that performs it"
	assert.Equal(t, []string{
		"3: misplaced //lifecycle:keep p: it is on the package clause, " + fix,
		"8: misplaced //lifecycle:close c: it is on type Conn, " + fix,
		"10: misplaced //lifecycle:close c: it is on field r of struct Conn, " + fix,
		"12: misplaced //lifecycle:keep w: it is on field w of struct Conn, " + fix,
		"13: misplaced //lifecycle:close c: it is on embedded field *Conn of struct Conn, " + fix,
		"19: misplaced //lifecycle:close c: it is on method Close of interface Closer, which directives cannot declare: write a rule with op: close for it in the rules file (.lifecyclecheck.yaml)",
		"21: misplaced //lifecycle:keep c: it is on interface io.Reader embedded in interface Closer, " + fix,
		"25: misplaced //lifecycle:keep x: it is on const x, " + fix,
		"29: misplaced //lifecycle:close y: it is on var y, z, " + fix,
		"33: misplaced //lifecycle:close f: it is on var f, " + fix,
		"38: misplaced //lifecycle:keep c: put it in the doc comment of the function that performs it",
	}, got)
}

// signature type-checks src as package example.com/p and returns the
// signature of the function fn, spelled as in a rules file.
func signature(t *testing.T, src, fn string) *types.Signature {
	t.Helper()
	ref, err := parseFuncName(fn)
	require.NoError(t, err)
	f, err := findFunc(checkPackage(t, "example.com/p", src), ref)
	require.NoError(t, err)
	return f.Signature()
}

const resolveSrc = `package p

type Tree struct{ m map[int]*Node }
type Node struct{ k int }

func (t *Tree) Insert(n *Node)           {}
func (t *Tree) Delete(k int)             {}
func (n *Node) Unlink()                  {}
func Free(x *Node)                       {}
func Blank(_ *Node, n *Node)             {}
func Unnamed(*Node)                      {}
func Variadic(t *Tree, ns ...*Node)      {}
`

func TestResolveDirectives(t *testing.T) {
	d := func(verb string, args ...string) Directive {
		return Directive{Verb: verb, Args: args, Pos: token.Pos(7)}
	}
	tests := []struct {
		name    string
		fn      string
		ds      []Directive
		want    []Op
		wantErr []string
	}{
		{name: "method insert", fn: "(*example.com/p.Tree).Insert", ds: []Directive{d("insert", "t", "n")}, want: []Op{{Insert, 0, 1}}},
		{name: "delete by key", fn: "(*example.com/p.Tree).Delete", ds: []Directive{d("delete", "t", "_")}, want: []Op{{Delete, 0, Any}}},
		{name: "unlink receiver", fn: "(*example.com/p.Node).Unlink", ds: []Directive{d("delete", "_", "n")}, want: []Op{{Delete, Any, 0}}},
		{name: "free", fn: "example.com/p.Free", ds: []Directive{d("free", "x")}, want: []Op{{Free, Any, 0}}},
		{name: "variadic", fn: "example.com/p.Variadic", ds: []Directive{d("insert", "t", "ns")}, want: []Op{{Insert, 0, 1}}},
		{name: "ignore skipped", fn: "example.com/p.Free", ds: []Directive{d("ignore", "why"), d("free", "x")}, want: []Op{{Free, Any, 0}}},
		{name: "several", fn: "(*example.com/p.Tree).Insert", ds: []Directive{d("insert", "t", "n"), d("free", "n")}, want: []Op{{Insert, 0, 1}, {Free, Any, 1}}},
		{name: "blank skipped", fn: "example.com/p.Blank", ds: []Directive{d("free", "n")}, want: []Op{{Free, Any, 1}}},
		{name: "close", fn: "example.com/p.Free", ds: []Directive{d("close", "x")}, want: []Op{{Close, Any, 0}}},
		{name: "keep receiver", fn: "(*example.com/p.Node).Unlink", ds: []Directive{d("keep", "n")}, want: []Op{{Keep, Any, 0}}},
		{name: "insert and keep", fn: "(*example.com/p.Tree).Insert", ds: []Directive{d("insert", "t", "n"), d("keep", "n")},
			want: []Op{{Insert, 0, 1}, {Keep, Any, 1}}},
		{name: "free and close", fn: "example.com/p.Free", ds: []Directive{d("free", "x"), d("close", "x")}, want: []Op{{Free, Any, 0}, {Close, Any, 0}}},
		{name: "keep one, close the other", fn: "example.com/p.Blank", ds: []Directive{d("keep", "n"), d("close", "n")},
			want:    []Op{{Keep, Any, 1}},
			wantErr: []string{"//lifecycle:close n contradicts //lifecycle:keep n: a function cannot both keep n and end its life; drop one"}},
		{name: "keep after free", fn: "(*example.com/p.Tree).Insert", ds: []Directive{d("free", "n"), d("keep", "t"), d("keep", "n")},
			want:    []Op{{Free, Any, 1}, {Keep, Any, 0}},
			wantErr: []string{"//lifecycle:keep n contradicts //lifecycle:free n: a function cannot both keep n and end its life; drop one"}},
		{name: "close unknown name", fn: "(*example.com/p.Tree).Insert", ds: []Directive{d("close", "c")},
			wantErr: []string{`no parameter named "c": want one of t, n`}},
		{name: "unknown name", fn: "(*example.com/p.Tree).Insert", ds: []Directive{d("insert", "tree", "n")},
			wantErr: []string{`no parameter named "tree": want one of t, n`}},
		{name: "one bad of two", fn: "(*example.com/p.Tree).Insert", ds: []Directive{d("free", "m"), d("free", "n")}, want: []Op{{Free, Any, 1}},
			wantErr: []string{`no parameter named "m": want one of t, n`}},
		{name: "unnamed", fn: "example.com/p.Unnamed", ds: []Directive{d("free", "x")},
			wantErr: []string{`no parameter named "x": the parameters have no names: name them in the signature`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ops, errs := ResolveDirectives(tt.ds, signature(t, resolveSrc, tt.fn))
			assert.Equal(t, tt.want, ops)
			var got []string
			for _, e := range errs {
				assert.Equal(t, token.Pos(7), e.Pos)
				got = append(got, e.Msg)
			}
			assert.Equal(t, tt.wantErr, got)
		})
	}
}

func TestContradicts(t *testing.T) {
	tests := []struct {
		a, b Op
		want bool
	}{
		{Op{Keep, Any, 1}, Op{Free, Any, 1}, true},
		{Op{Close, Any, 0}, Op{Keep, Any, 0}, true},
		{Op{Keep, Any, 1}, Op{Close, Any, 2}, false},
		{Op{Keep, Any, 1}, Op{Keep, Any, 1}, false},
		{Op{Keep, Any, 1}, Op{Insert, 0, 1}, false},
		{Op{Keep, Any, 1}, Op{Delete, 0, 1}, false},
		{Op{Free, Any, 1}, Op{Close, Any, 1}, false},
		{Op{Keep, Any, Any}, Op{Free, Any, Any}, false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Contradicts(tt.a, tt.b), "%v, %v", tt.a, tt.b)
		assert.Equal(t, tt.want, Contradicts(tt.b, tt.a), "%v, %v", tt.b, tt.a)
	}
}
