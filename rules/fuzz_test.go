package rules

import (
	"errors"
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
		"rules:\n  - {func: (example.com/tree.Holder).Close, op: close, object: 0}\n  - {func: (example.com/tree.Holder).Close, op: keep, object: 0}\n",
		"rules:\n  - {func: (example.com/tree.Holder).Hold, op: keep, object: n}\n",
	} {
		f.Add([]byte(s))
	}
	lookup := treeLookup(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ParseFile("f.yaml", data)
		if err != nil {
			var fe *FileError
			require.True(t, errors.As(err, &fe), "%T: %v", err, err)
			assert.Positive(t, fe.Line, err.Error())
			return
		}
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
		if _, err := file.Resolve(nil, lookup); err != nil {
			var fe *FileError
			require.True(t, errors.As(err, &fe), "%T: %v", err, err)
		}
	})
}
