package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// module writes a module with the given files into a new directory.
func module(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	files["go.mod"] = "module example.com/m\n\ngo 1.26\n"
	for name, text := range files {
		path := filepath.Join(root, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	}
	return root
}

const ringRules = `rules:
  - func: (*container/ring.Ring).Link
    op: insert
    index: r
    object: s
`

func TestModuleRoot(t *testing.T) {
	t.Parallel()
	root := module(t, map[string]string{"a/b/x.go": "package b\n"})
	got, err := ModuleRoot(filepath.Join(root, "a", "b"))
	require.NoError(t, err)
	assert.Equal(t, root, got)

	plain := t.TempDir()
	got, err = ModuleRoot(plain)
	require.NoError(t, err)
	if _, err := os.Stat("/tmp/go.mod"); err != nil {
		assert.Equal(t, plain, got, "no go.mod above: the directory itself")
	}
}

func TestLoadWithoutRulesFile(t *testing.T) {
	t.Parallel()
	cfg, err := Load(module(t, map[string]string{}), "")
	require.NoError(t, err)
	assert.NotEmpty(t, cfg.Rules.Lookup("(*sync.Pool).Put"), "built-in kinds are on")
	assert.True(t, cfg.Rules.MapKind())
	assert.Nil(t, cfg.Checks, "every check")
}

func TestLoadDefaultFile(t *testing.T) {
	t.Parallel()
	root := module(t, map[string]string{rules.DefaultFile: ringRules})
	cfg, err := Load(root, "")
	require.NoError(t, err)
	assert.Len(t, cfg.Rules.Lookup("(*container/ring.Ring).Link"), 1)
}

func TestLoadRelativeToRoot(t *testing.T) {
	t.Parallel()
	root := module(t, map[string]string{"conf/rules.yaml": ringRules})
	cfg, err := Load(root, "conf/rules.yaml")
	require.NoError(t, err)
	assert.Len(t, cfg.Rules.Lookup("(*container/ring.Ring).Link"), 1)
}

func TestLoadMissingExplicitFile(t *testing.T) {
	t.Parallel()
	_, err := Load(module(t, map[string]string{}), "nope.yaml")
	require.ErrorContains(t, err, "nope.yaml")
}

func TestLoadErrorsNameFileAndLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, rules, want string
	}{
		{"unknown op", "rules:\n  - func: (*container/ring.Ring).Link\n    op: insrt\n    object: s\n", `:3: unknown op "insrt"`},
		{"unknown function", "rules:\n  - func: (*container/ring.Ring).Nope\n    op: free\n    object: s\n", `:2: `},
		{"unknown package", "rules:\n  - func: example.com/nothere.Free\n    op: free\n    object: x\n", `:2: `},
		{"unknown parameter", "rules:\n  - func: (*container/ring.Ring).Link\n    op: free\n    object: zz\n", `:2: `},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := module(t, map[string]string{rules.DefaultFile: tt.rules})
			_, err := Load(root, "")
			require.Error(t, err)
			var fe *rules.FileError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, filepath.Join(root, rules.DefaultFile), fe.File)
			assert.Contains(t, err.Error(), filepath.Join(root, rules.DefaultFile)+tt.want)
		})
	}
}

func TestOptionsDisableAndInline(t *testing.T) {
	t.Parallel()
	inline, err := rules.ParseFile("inline", []byte(ringRules))
	require.NoError(t, err)
	cfg, err := Options{Root: module(t, map[string]string{}), Inline: inline, Disable: []string{rules.KindPool}}.Load()
	require.NoError(t, err)
	assert.Empty(t, cfg.Rules.Lookup("(*sync.Pool).Put"))
	assert.Len(t, cfg.Rules.Lookup("(*container/ring.Ring).Link"), 1)

	_, err = Options{Root: t.TempDir(), Disable: []string{"btree"}}.Load()
	require.ErrorContains(t, err, `unknown built-in kind "btree"`)
}

// hiddenSrc has an unexported type that no exported API mentions: export
// data leaves it out, so rules naming it need the package's source.
const hiddenSrc = `package hidden

type serverConn struct{ streams map[uint32]*stream }
type stream struct{ id uint32 }

func (sc *serverConn) closeStream(st *stream, err error) { delete(sc.streams, st.id) }

func destroy(st *stream) {}

// Serve is the only exported API.
func Serve() {}
`

func TestLoadUnexportedTypes(t *testing.T) {
	t.Parallel()
	root := module(t, map[string]string{
		"hidden/hidden.go": hiddenSrc,
		rules.DefaultFile: `rules:
  - func: (*example.com/m/hidden.serverConn).closeStream
    op: close
    object: st
  - func: example.com/m/hidden.destroy
    op: keep
    object: 0
`,
	})
	cfg, err := Load(root, "")
	require.NoError(t, err)
	assert.Equal(t, []rules.Op{{Kind: rules.Close, Index: rules.Any, Object: 1}}, cfg.Rules.Lookup("(*example.com/m/hidden.serverConn).closeStream"))
	assert.Equal(t, []rules.Op{{Kind: rules.Keep, Index: rules.Any, Object: 0}}, cfg.Rules.Lookup("example.com/m/hidden.destroy"))
}

// TestLoadInterfacesSharingAMethod: both interfaces embed io.Closer, so
// both rules are rules of (io.Closer).Close; they merge.
func TestLoadInterfacesSharingAMethod(t *testing.T) {
	t.Parallel()
	root := module(t, map[string]string{
		"a/a.go": "package a\n\nimport \"io\"\n\ntype ReadCloser interface {\n\tio.Reader\n\tio.Closer\n}\n",
		"b/b.go": "package b\n\nimport \"io\"\n\ntype Conn interface {\n\tio.Closer\n\tID() int\n}\n",
		rules.DefaultFile: `rules:
  - {func: (example.com/m/a.ReadCloser).Close, op: close, object: 0}
  - {func: (example.com/m/b.Conn).Close, op: close, object: 0}
`,
	})
	cfg, err := Load(root, "")
	require.NoError(t, err)
	assert.Equal(t, []rules.Op{{Kind: rules.Close, Index: rules.Any, Object: 0}}, cfg.Rules.Lookup("(io.Closer).Close"))
}

// TestLoadGroups: a file with groups alone is resolved, against the
// packages' source (the unexported type), and the readings of a name
// whose packages do not exist (example.com/m/hidden.serverConn) do not
// get in the way.
func TestLoadGroups(t *testing.T) {
	t.Parallel()
	root := module(t, map[string]string{
		"hidden/hidden.go": hiddenSrc + "\nvar byID = map[uint32]*stream{}\n",
		rules.DefaultFile: `groups:
  - {indexes: [example.com/m/hidden.serverConn.streams, example.com/m/hidden.byID]}
  - {indexes: [example.com/m/hidden.byID, example.com/m/hidden.serverConn.nope]}
`,
	})
	_, err := Load(root, "")
	assert.EqualError(t, err, filepath.Join(root, rules.DefaultFile)+":3: type serverConn has no field nope: check the field in the index name")

	require.NoError(t, os.WriteFile(filepath.Join(root, rules.DefaultFile), []byte(`groups:
  - {indexes: [example.com/m/hidden.serverConn.streams, example.com/m/hidden.byID]}
`), 0o644))
	cfg, err := Load(root, "")
	require.NoError(t, err)
	assert.Equal(t, [][]string{{"example.com/m/hidden.byID", "example.com/m/hidden.serverConn.streams"}}, cfg.Rules.Groups)
}

func TestLoadChecksAndDisable(t *testing.T) {
	t.Parallel()
	root := module(t, map[string]string{rules.DefaultFile: "checks: [all, -undo]\ndisable: [sync.Pool]\n"})
	cfg, err := Load(root, "")
	require.NoError(t, err)
	assert.Equal(t, "freed,closed,partial,unregister", cfg.Checks.String())
	assert.Empty(t, cfg.Rules.Lookup("(*sync.Pool).Put"))

	// The driver's checks replace the file's; the kinds it turns off add
	// to the file's.
	freed, err := rules.ParseChecks([]string{"freed"})
	require.NoError(t, err)
	cfg, err = Options{Root: root, Checks: freed, Disable: []string{rules.KindList}}.Load()
	require.NoError(t, err)
	assert.Equal(t, "freed", cfg.Checks.String())
	assert.Empty(t, cfg.Rules.Lookup("(*sync.Pool).Put"))
	assert.Empty(t, cfg.Rules.Lookup("(*container/list.List).PushBack"))
	assert.NotEmpty(t, cfg.Rules.Lookup("(*sync.Map).Store"))
}

// TestLoadReportsEveryProblemInLineOrder: problems of shape (found while
// parsing) and of resolution (found after) come together, by line, and
// nothing is returned to run.
func TestLoadReportsEveryProblemInLineOrder(t *testing.T) {
	t.Parallel()
	root := module(t, map[string]string{rules.DefaultFile: `rules:
  - func: (*container/ring.Ring).Nope
    op: close
    object: r
  - func: (*container/ring.Ring).Link
    op: clos
    object: s
  - func: (*container/ring.Ring).Move
    op: keep
    object: zz
  - func: (*container/ring.Ring).Unlink
    op: keep
    object: r
checks: [all, bogus]
`})
	inline, err := rules.ParseFile("inline", []byte("rules:\n  - {func: container/ring.Nope, op: free, object: x}\n"))
	require.NoError(t, err)
	cfg, err := Options{Root: root, Inline: inline}.Load()
	file := filepath.Join(root, rules.DefaultFile)
	assert.EqualError(t, err, file+":2: type Ring has no method Nope: check the name in func\n"+
		file+`:6: unknown op "clos": want insert, delete, free, close, keep or none`+"\n"+
		file+`:8: no parameter named "zz": want one of r, n`+"\n"+
		file+`:14: unknown check "bogus": want all or one of freed, closed, undo, partial, unregister, each optionally prefixed with -`+"\n"+
		"inline:2: package container/ring has no function Nope: check the name in func")
	assert.Equal(t, Result{}, cfg)
}

func TestLoadUnreadableFile(t *testing.T) {
	t.Parallel()
	root := module(t, map[string]string{rules.DefaultFile: "rules:\n  - [\n"})
	_, err := Load(root, "")
	var fe *rules.FileError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, 2, fe.Line)
}

// BenchmarkLoadOneStdPackage measures what every run pays for a rules
// file naming one package of the standard library.
func BenchmarkLoadOneStdPackage(b *testing.B) {
	root := b.TempDir()
	require.NoError(b, os.WriteFile(filepath.Join(root, "go.mod"), []byte("module example.com/m\n\ngo 1.26\n"), 0o644))
	require.NoError(b, os.WriteFile(filepath.Join(root, rules.DefaultFile),
		[]byte("rules:\n  - {func: (*net/http.conn).serve, op: keep, object: c}\n"), 0o644))
	for b.Loop() {
		cfg, err := Load(root, "")
		require.NoError(b, err)
		require.NotEmpty(b, cfg.Rules.Lookup("(*net/http.conn).serve"))
	}
}
