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
	set, err := Load(module(t, map[string]string{}), "")
	require.NoError(t, err)
	assert.NotEmpty(t, set.Lookup("(*sync.Pool).Put"), "built-in kinds are on")
	assert.True(t, set.MapKind())
}

func TestLoadDefaultFile(t *testing.T) {
	t.Parallel()
	root := module(t, map[string]string{rules.DefaultFile: ringRules})
	set, err := Load(root, "")
	require.NoError(t, err)
	assert.Len(t, set.Lookup("(*container/ring.Ring).Link"), 1)
}

func TestLoadRelativeToRoot(t *testing.T) {
	t.Parallel()
	root := module(t, map[string]string{"conf/rules.yaml": ringRules})
	set, err := Load(root, "conf/rules.yaml")
	require.NoError(t, err)
	assert.Len(t, set.Lookup("(*container/ring.Ring).Link"), 1)
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
	set, err := Options{Root: module(t, map[string]string{}), Inline: inline, Disable: []string{rules.KindPool}}.Load()
	require.NoError(t, err)
	assert.Empty(t, set.Lookup("(*sync.Pool).Put"))
	assert.Len(t, set.Lookup("(*container/ring.Ring).Link"), 1)

	_, err = Options{Root: t.TempDir(), Disable: []string{"btree"}}.Load()
	require.ErrorContains(t, err, `unknown built-in kind "btree"`)
}
