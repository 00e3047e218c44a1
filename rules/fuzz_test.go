package rules

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func FuzzParseDirective(f *testing.F) {
	for _, s := range []string{
		"//lifecycle:insert t n",
		"//lifecycle:delete _ n",
		"//lifecycle:delete t _",
		"//lifecycle:free x",
		"//lifecycle:close c",
		"//lifecycle:keep c // the registry owns it",
		"//lifecycle:close _",
		"// lifecycle:keep c",
		"//lifecycle:ignore the pool owns it",
		"//lifecycle: insert t n",
		"// lifecycle:free x",
		"//lifecycle:",
		"//lifecycle:frees x",
		"//lifecycle:ignore\u00a0reason\u2003",
		"//lifecycle:\x85free x",
		"//lifecycle:free x // trailing",
		"//lifecycle:ignore a // b\nc",
		"// plain",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		d, ok, err := ParseDirective(text)
		if !ok {
			require.NoError(t, err)
			return
		}
		if err != nil {
			assert.NotEmpty(t, err.Error())
			return
		}
		if k, isOp := verbKind(d.Verb); isOp {
			assert.Len(t, d.Args, map[bool]int{true: 1, false: 2}[k.Unary()], "%q", text)
		}
		again, ok, err := ParseDirective(d.String())
		require.True(t, ok, "%q rendered as %q", text, d.String())
		require.NoError(t, err, "%q rendered as %q", text, d.String())
		assert.Equal(t, d, again, "%q rendered as %q", text, d.String())
	})
}

func FuzzParseFile(f *testing.F) {
	f.Add([]byte(goodFile))
	for _, s := range []string{
		"",
		"rules: []\n",
		"rules:\n  - {func: a.B, op: free, object: x}\n  - [\n",
		"rules: &x [1]\nx: *x\n",
		"rules:\n  - {func: (*a.B[K]).C, op: delete, object: _, index: 0}\n",
		"rules:\n  - {func: a.B, op: insert, index: m, object: 1}\n",
		"%YAML 1.1\n%YAML 1.1\na: 1",
		"rules:\n  - !!binary {func: a.B}\n",
		"rules:\n  - {func: (example.com/tree.Holder).Close, op: free, object: 0}\n",
		"rules:\n  - {func: (*example.com/tree.Tree[K]).Put, op: insert, index: t, object: 2}\n",
		"rules:\n  - {func: (example.com/tree.Holder).Close, op: close, object: 0}\n  - {func: (example.com/tree.Conn).Close, op: keep, object: 0}\n",
		"rules:\n  - {func: (example.com/tree.Holder).Hold, op: keep, object: n}\n  - {func: a.B, op: clos, object: x}\n",
		"checks: [all, -undo]\n",
		"checks:\n  - freed\n  - bogus\ndisable: [sync.Pool, btree]\nrules:\n  - {func: a.B, op: keep, index: 0, object: x}\n",
		"disable: []\nchecks: [\"all,-closed\"]\n",
		"groups:\n  - {indexes: [example.com/tree.Root.nodes, example.com/tree.byKey]}\n",
		"groups:\n  - indexes:\n      - example.com/tree.Index.sub.m\n      - example.com/tree.Alias.nodes\n      - example.com/tree.Root.nodes\n",
		"groups:\n  - {indexes: [example.com/tree.Outer.nodes, example.com/tree.Index.root.nodes, example.com/x.v2.T.f]}\n  - {indexes: [a.b]}\n",
		"groups: [{indexes: [a.b, a.b]}, {indexes: [a.c, a.b]}, {indexes: [a.b, a.c]}, [x]]\nrules: []\n",
		"groups:\n  - {indexes: [example.com/tree.NotFunc, example.com/tree.Free, (*a.T).f, _.x, a._]}\n",
	} {
		f.Add([]byte(s))
	}
	lookup := treeLookup(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ParseFile("f.yaml", data)
		assertProblems(t, err)
		if file == nil {
			require.Error(t, err)
			return
		}
		assertWellFormed(t, file)
		if _, err := file.Resolve(nil, lookup); err != nil {
			assertProblems(t, err)
		}
	})
}

// FuzzRulesFileParts builds a rules file from a rule's op, index and
// object, a check, a kind and the indexes of a group, and checks that each
// problem is on the line of what causes it.
func FuzzRulesFileParts(f *testing.F) {
	f.Add("close", "", "0", "all,-undo", "sync.Pool", "example.com/tree.Root.nodes", "example.com/tree.byKey")
	f.Add("keep", "1", "n", "-closed", "map", "example.com/tree.Index.sub.m", "example.com/tree.Index.sub.m")
	f.Add("free", "", "_", "bogus", "btree", "a.b", "byKey")
	f.Add("insert", "0", "n", "freed", "sync.Map", "example.com/x.v2.T.f", "example.com/tree.Root.")
	lookup := treeLookup(f)
	f.Fuzz(func(t *testing.T, op, index, object, check, kind, index1, index2 string) {
		for _, s := range []string{op, index, object, check, kind, index1, index2} {
			if strings.ContainsFunc(s, func(r rune) bool { return !strings.ContainsRune(plainChars, r) }) {
				t.Skip()
			}
		}
		rule := fmt.Sprintf("{func: (example.com/tree.Holder).Hold, op: %q, object: %q}", op, object)
		if index != "" {
			rule = fmt.Sprintf("{func: (example.com/tree.Holder).Hold, op: %q, index: %q, object: %q}", op, index, object)
		}
		src := fmt.Sprintf("rules:\n  - %s\nchecks: [%q]\ndisable: [%q]\ngroups:\n  - {indexes: [%q, %q]}\n", rule, check, kind, index1, index2)
		file, err := ParseFile("f.yaml", []byte(src))
		lines := assertProblems(t, err)
		require.NotNil(t, file, src)
		assertWellFormed(t, file)
		_, checkErr := ParseChecks([]string{check})
		assert.Equal(t, checkErr != nil || strings.TrimSpace(check) == "", slices.Contains(lines, 3), "%s%v", src, err)
		assert.Equal(t, checkKind(kind) != nil, slices.Contains(lines, 4), "%s%v", src, err)
		badGroup := checkIndexName(index1) != nil || checkIndexName(index2) != nil || index1 == index2
		assert.Equal(t, badGroup, slices.Contains(lines, 6), "%s%v", src, err)
		assert.Equal(t, badGroup, len(file.Groups) == 0, "%s%v", src, err)
		_, known := verbKind(op)
		if !known {
			assert.Contains(t, lines, 2, "%s%v", src, err)
		}
		if _, err := file.Resolve(nil, lookup); err != nil {
			assertProblems(t, err)
		}
	})
}

// plainChars are the characters FuzzRulesFileParts uses, which need no
// escaping in YAML.
const plainChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.,/- "

// assertProblems checks that err is made of *FileErrors at positive lines,
// in line order, and returns those lines.
func assertProblems(t *testing.T, err error) []int {
	t.Helper()
	var lines []int
	for _, e := range appendFlat(nil, err) {
		var fe *FileError
		require.True(t, errors.As(e, &fe), "%T: %v", e, e)
		assert.Positive(t, fe.Line, e.Error())
		lines = append(lines, fe.Line)
	}
	assert.True(t, slices.IsSorted(lines), "%v", err)
	return lines
}

// assertWellFormed checks what ParseFile keeps of a file, with or without
// problems: each rule, check and kind is well formed.
func assertWellFormed(t *testing.T, file *File) {
	t.Helper()
	for _, r := range file.Rules {
		assert.Positive(t, r.Line)
		_, known := verbKind(r.Op.String())
		assert.True(t, known, "op %v", r.Op)
		_, err := parseFuncName(r.Func)
		assert.NoError(t, err)
		assert.True(t, isRef(r.Object), "object %q", r.Object)
		assert.Equal(t, r.Op.Unary(), r.Index == "", "index %q of %v", r.Index, r.Op)
		if r.Op.Unary() {
			assert.NotEqual(t, "_", r.Object, "object of %v", r.Op)
		}
	}
	_, err := file.CheckSet()
	assert.NoError(t, err)
	assert.Equal(t, file.Checks == nil, file.ChecksLine == 0)
	assert.Equal(t, file.Disable == nil, file.DisableLine == 0)
	for _, k := range file.Disable {
		assert.NoError(t, checkKind(k))
	}
	for _, g := range file.Groups {
		assert.Positive(t, g.Line)
		assert.GreaterOrEqual(t, len(g.Indexes), 2, "group at line %d", g.Line)
		for _, name := range g.Indexes {
			assert.NoError(t, checkIndexName(name))
		}
		assert.Len(t, slices.Compact(slices.Sorted(slices.Values(g.Indexes))), len(g.Indexes), "no index twice: %q", g.Indexes)
	}
}
