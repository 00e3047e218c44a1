package rules

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const goodFile = `# Operations of example.com/tree, which we cannot annotate.
rules:
  - func: (*example.com/tree.Root).Insert
    op: insert
    index: r        # parameter name or position
    object: n
  - func: (*example.com/tree.Node).Delete
    op: delete
    object: n
  - func: example.com/slab.Free
    op: free
    object: 0
  - {func: "(*gopkg.in/yaml.v3.Map[K]).Del", op: delete, index: m, object: _}
`

func TestParseFile(t *testing.T) {
	f, err := ParseFile("rules.yaml", []byte(goodFile))
	require.NoError(t, err)
	assert.Equal(t, &File{Name: "rules.yaml", Rules: []Rule{
		{Func: "(*example.com/tree.Root).Insert", Op: Insert, Index: "r", Object: "n", Line: 3},
		{Func: "(*example.com/tree.Node).Delete", Op: Delete, Index: "_", Object: "n", Line: 7},
		{Func: "example.com/slab.Free", Op: Free, Object: "0", Line: 10},
		{Func: "(*gopkg.in/yaml.v3.Map[K]).Del", Op: Delete, Index: "m", Object: "_", Line: 13},
	}}, f)
}

func TestParseFileCloseAndKeep(t *testing.T) {
	f, err := ParseFile("r.yaml", []byte(`rules:
  - {func: (*example.com/conn.Conn).Close, op: close, object: c}
  - {func: (*example.com/reg.Registry).Adopt, op: keep, object: 1}
`))
	require.NoError(t, err)
	assert.Equal(t, []Rule{
		{Func: "(*example.com/conn.Conn).Close", Op: Close, Object: "c", Line: 2},
		{Func: "(*example.com/reg.Registry).Adopt", Op: Keep, Object: "1", Line: 3},
	}, f.Rules)
}

func TestParseFileChecksAndDisable(t *testing.T) {
	f, err := ParseFile("r.yaml", []byte(`# only what to run
checks: [all, -undo]
disable:
  - sync.Pool
  - container/list
`))
	require.NoError(t, err)
	assert.Equal(t, &File{Name: "r.yaml", Checks: []string{"all", "-undo"}, ChecksLine: 2,
		Disable: []string{"sync.Pool", "container/list"}, DisableLine: 3}, f)
	s, err := f.CheckSet()
	require.NoError(t, err)
	assert.Equal(t, "freed,closed,partial,unregister", s.String())

	f, err = ParseFile("r.yaml", []byte("disable: []\nrules: ~\n"))
	require.NoError(t, err)
	assert.Equal(t, &File{Name: "r.yaml", Disable: []string{}, DisableLine: 1}, f)
	s, err = f.CheckSet()
	require.NoError(t, err)
	assert.Nil(t, s, "no checks: selects every check")
}

func TestCheckSetOfHandBuiltFile(t *testing.T) {
	_, err := (&File{Name: "x.yaml", Checks: []string{"frees"}, ChecksLine: 4}).CheckSet()
	assert.EqualError(t, err, `x.yaml:4: unknown check "frees": want all or one of freed, closed, undo, partial, unregister, each optionally prefixed with -`)
	var none *File
	s, err := none.CheckSet()
	assert.NoError(t, err)
	assert.Nil(t, s)
}

// TestParseFileKeepsWhatIsWellFormed: the file comes back with its
// problems, holding what has none, so that a caller can resolve it too.
func TestParseFileKeepsWhatIsWellFormed(t *testing.T) {
	f, err := ParseFile("r.yaml", []byte(`rules:
  - {func: a.B, op: frees, object: x}
  - {func: a.C, op: close, object: c}
  - {func: a.C, op: close, object: c}
checks: [freed, bogus, -closed]
disable: [sync.Pool, btree]
`))
	assert.EqualError(t, err, `r.yaml:2: unknown op "frees": want insert, delete, free, close, keep or none`+"\n"+
		"r.yaml:4: duplicate rule: same func, op, index and object as line 3: remove one\n"+
		`r.yaml:5: unknown check "bogus": want all or one of freed, closed, undo, partial, unregister, each optionally prefixed with -`+"\n"+
		`r.yaml:6: unknown built-in kind "btree": want one of map, sync.Map, container/list, sync.Pool`)
	require.NotNil(t, f)
	assert.Equal(t, []Rule{{Func: "a.C", Op: Close, Object: "c", Line: 3}}, f.Rules)
	assert.Equal(t, []string{"freed", "-closed"}, f.Checks)
	assert.Equal(t, []string{"sync.Pool"}, f.Disable)
}

func TestParseFileEmptyList(t *testing.T) {
	for _, src := range []string{"rules: []\n", "rules:\n", "rules: ~\n"} {
		f, err := ParseFile("r.yaml", []byte(src))
		require.NoError(t, err, src)
		assert.Empty(t, f.Rules)
	}
}

func TestParseFileErrors(t *testing.T) {
	const want = "rules: (a list of rules), groups: (indexes left together), checks: (as -checks), disable: (built-in kinds) or exclude: (path globs)"
	tests := []struct{ src, want string }{
		{"", "r.yaml:1: empty rules file: write " + want},
		{"# nothing\n\n", "r.yaml:1: empty rules file: write " + want},
		{"{}\n", "r.yaml:1: the rules file sets nothing: write " + want},
		{"rules:\n  - func: [a\n", "r.yaml:2: invalid yaml: did not find expected ',' or ']'"},
		{"rules:\n\t- func: a\n", "r.yaml:2: invalid yaml: found character that cannot start any token"},
		{"- func: a.B\n", "r.yaml:1: the rules file must be a mapping: write " + want},
		{"rule:\n  - {}\n", `r.yaml:1: unknown key "rule" in the rules file: want rules, groups, checks, disable or exclude`},
		{"rules: []\nversion: 2\n", `r.yaml:2: unknown key "version" in the rules file: want rules, groups, checks, disable or exclude`},
		{"rules: []\nrules: []\n", `r.yaml:2: duplicate key "rules" in the rules file: keep one`},
		{"rules: {func: a.B}\n", "r.yaml:1: rules must be a list: write rules: followed by a list of rules"},
		{"checks: all\n", "r.yaml:1: checks must be a list: write checks: [all, -undo] with names among all, freed, closed, undo, partial, unregister"},
		{"checks: []\n", "r.yaml:1: checks is empty: list the checks to run, as in checks: [all, -undo], or remove it"},
		{"checks:\n", "r.yaml:1: checks is empty: list the checks to run, as in checks: [all, -undo], or remove it"},
		{"checks:\n  - all\n  - -udno\n", `r.yaml:3: unknown check "udno": want all or one of freed, closed, undo, partial, unregister, each optionally prefixed with -`},
		{"checks: [bogus]\n", `r.yaml:1: unknown check "bogus": want all or one of freed, closed, undo, partial, unregister, each optionally prefixed with -`},
		{"checks: [all, [undo]]\n", "r.yaml:1: each element of checks must be a name: write checks: [all, -undo] with names among all, freed, closed, undo, partial, unregister"},
		{"checks: [\"\"]\n", "r.yaml:1: each element of checks must be a name: write checks: [all, -undo] with names among all, freed, closed, undo, partial, unregister"},
		{"disable: sync.Pool\n", "r.yaml:1: disable must be a list: write disable: [sync.Pool] with kinds among map, sync.Map, container/list, sync.Pool"},
		{"disable:\n  - map\n  - 3\n", "r.yaml:3: each element of disable must be a name: write disable: [sync.Pool] with kinds among map, sync.Map, container/list, sync.Pool"},
		{"disable: [sync.pool]\n", `r.yaml:1: unknown built-in kind "sync.pool": want one of map, sync.Map, container/list, sync.Pool`},
		{"checks: [all]\nchecks: [freed]\n", `r.yaml:2: duplicate key "checks" in the rules file: keep one`},
		{"rules: &x [1]\nx: *x\n", "r.yaml:2: aliases are not supported in a rules file: write the value out"},
		{"rules: *x\n", "r.yaml:1: invalid yaml: unknown anchor 'x' referenced"},
		{"a: &r []\nrules: *r\n", "r.yaml:2: aliases are not supported in a rules file: write the value out"},
		{"rules:\n  - &r {func: a.B, op: free, object: x}\n  - *r\n", "r.yaml:3: aliases are not supported in a rules file: write the value out"},
		{"rules:\n  - {func: a.B, op: free, object: x}\n  - [\n", "r.yaml:3: invalid yaml: did not find expected node content"},
		{"rules: []\nx: 1\n- c\n", "r.yaml:3: invalid yaml: did not find expected key"},
		{"rules:\n  - a.B\n", "r.yaml:2: each rule must be a mapping: write func:, op:, object: and, for insert, index:"},
		{"rules:\n  - {func: a.B, op: free, object: x, obj: y}\n", `r.yaml:2: unknown key "obj" in a rule: want func, op, index or object`},
		{"rules:\n  - {func: a.B, op: free, object: x, [1]: y}\n", `r.yaml:2: unknown key of kind list in a rule: want func, op, index or object`},
		{"rules:\n  - {func: a.B, op: free, object: x, object: y}\n", `r.yaml:2: duplicate key "object" in a rule: keep one`},
		{"rules:\n  - {op: free, object: x}\n",
			"r.yaml:2: rule has no func: add func: (*pkg/path.Type).Method, (pkg/path.Type).Method or pkg/path.Func"},
		{"rules:\n  - {func: [a.B], op: free, object: x}\n",
			"r.yaml:2: func must be a string: write (*pkg/path.Type).Method, (pkg/path.Type).Method or pkg/path.Func"},
		{"rules:\n  - {func: Free, op: free, object: x}\n",
			`r.yaml:2: func "Free" is not a function name: write pkg/path.Func, (pkg/path.Type).Method or (*pkg/path.Type).Method`},
		{"rules:\n  - {func: (*example.com/tree.Root.Insert, op: free, object: x}\n",
			`r.yaml:2: func "(*example.com/tree.Root.Insert" is not a function name: write pkg/path.Func, (pkg/path.Type).Method or (*pkg/path.Type).Method`},
		{"rules:\n  - {func: (*Root).Insert, op: free, object: x}\n",
			`r.yaml:2: func "(*Root).Insert" is not a function name: write pkg/path.Func, (pkg/path.Type).Method or (*pkg/path.Type).Method`},
		{"rules:\n  - {func: a.B, object: x}\n", "r.yaml:2: rule has no op: add op: insert, delete, free, close, keep or none"},
		{"rules:\n  - {func: a.B, op: frees, object: x}\n", `r.yaml:2: unknown op "frees": want insert, delete, free, close, keep or none`},
		{"rules:\n  - {func: a.B, op: read, object: x}\n", `r.yaml:2: unknown op "read": want insert, delete, free, close, keep or none`},
		{"rules:\n  - {func: a.B, op: 1, object: x}\n", "r.yaml:2: op must be insert, delete, free, close, keep or none"},
		{"rules:\n  - {func: a.B, op: free}\n", "r.yaml:2: free rule has no object: add object: PARAM"},
		{"rules:\n  - func: a.B\n    op: free\n    object: x.y\n",
			"r.yaml:4: object must name a parameter: write its name, its position (0 is a method's receiver) or _"},
		{"rules:\n  - {func: a.B, op: free, object: true}\n",
			"r.yaml:2: object must name a parameter: write its name, its position (0 is a method's receiver) or _"},
		{"rules:\n  - {func: a.B, op: free, object: null}\n",
			"r.yaml:2: object must name a parameter: write its name, its position (0 is a method's receiver) or _"},
		{"rules:\n  - {func: a.B, op: insert, index: -1, object: x}\n",
			"r.yaml:2: index must name a parameter: write its name, its position (0 is a method's receiver) or _"},
		{"rules:\n  - func: a.B\n    op: free\n    index: m\n    object: x\n", "r.yaml:4: free rule takes no index: remove index"},
		{"rules:\n  - {func: a.B, op: free, object: _}\n", "r.yaml:2: free rule needs the freed object: write object: PARAM, not _"},
		{"rules:\n  - {func: a.B, op: insert, object: x}\n", "r.yaml:2: insert rule has no index: add index: PARAM"},
		{"rules:\n  - func: a.B\n    op: close\n    index: 0\n    object: x\n", "r.yaml:4: close rule takes no index: remove index"},
		{"rules:\n  - {func: a.B, op: keep, index: _, object: x}\n", "r.yaml:2: keep rule takes no index: remove index"},
		{"rules:\n  - {func: a.B, op: close, object: _}\n", "r.yaml:2: close rule needs the closed object: write object: PARAM, not _"},
		{"rules:\n  - {func: a.B, op: keep, object: _}\n", "r.yaml:2: keep rule needs the kept object: write object: PARAM, not _"},
		{"rules:\n  - {func: a.B, op: keep}\n", "r.yaml:2: keep rule has no object: add object: PARAM"},
		{"rules:\n  - {func: a.B, op: Close, object: x}\n", `r.yaml:2: unknown op "Close": want insert, delete, free, close, keep or none`},
		{"rules:\n  - {func: a.B, op: insert, index: _, object: x}\n",
			"r.yaml:2: insert rule needs both index and object: name them; _ is only for delete"},
		{"rules:\n  - {func: a.B, op: delete, object: _}\n",
			"r.yaml:2: delete rule with index and object _ names neither: name at least one"},
		{"rules:\n  - {func: a.B, op: free, object: x}\n  - {func: a.B, op: free, object: x}\n",
			"r.yaml:3: duplicate rule: same func, op, index and object as line 2: remove one"},
		{"rules:\n  - {func: a.B, op: delete, object: x}\n  - {func: a.B, op: delete, index: _, object: x}\n",
			"r.yaml:3: duplicate rule: same func, op, index and object as line 2: remove one"},
		{"rules:\n  - {op: free, object: x}\n  - {func: a.B, op: frees, object: x}\n",
			"r.yaml:2: rule has no func: add func: (*pkg/path.Type).Method, (pkg/path.Type).Method or pkg/path.Func\n" +
				`r.yaml:3: unknown op "frees": want insert, delete, free, close, keep or none`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			_, err := ParseFile("r.yaml", []byte(tt.src))
			assert.EqualError(t, err, tt.want)
			var fe *FileError
			assert.True(t, errors.As(err, &fe), "%T is no *FileError", err)
		})
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, DefaultFile)
	require.NoError(t, os.WriteFile(path, []byte(goodFile), 0o600))
	f, err := LoadFile(path)
	require.NoError(t, err)
	assert.Equal(t, path, f.Name)
	assert.Len(t, f.Rules, 4)

	require.NoError(t, os.WriteFile(path, []byte("rules: 1\n"), 0o600))
	_, err = LoadFile(path)
	assert.EqualError(t, err, path+":1: rules must be a list: write rules: followed by a list of rules")

	_, err = LoadFile(filepath.Join(dir, "missing.yaml"))
	assert.ErrorIs(t, err, os.ErrNotExist)
	assert.ErrorContains(t, err, "cannot read rules file: ")
}
