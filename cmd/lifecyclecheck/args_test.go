package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseInvocation(t *testing.T) {
	tests := []struct {
		args     []string
		rules    string
		vetCfg   string
		analyses bool
	}{
		{[]string{"./..."}, "", "", true},
		{[]string{"-rules=r.yaml", "./..."}, "r.yaml", "", true},
		{[]string{"--rules", "r.yaml", "./..."}, "r.yaml", "", true},
		{[]string{"-json", "-lifecyclecheck.rules=x/r.yaml", "./..."}, "x/r.yaml", "", true},
		{[]string{"-rules=r.yaml", "-json", "/tmp/b001/vet.cfg"}, "r.yaml", "/tmp/b001/vet.cfg", true},
		{[]string{"-V=full"}, "", "", false},
		{[]string{"-flags"}, "", "", false},
		{[]string{"--", "-rules=x"}, "", "", true},
		{[]string{"-tags", "foo", "-json", "/tmp/b001/vet.cfg"}, "", "/tmp/b001/vet.cfg", true},
	}
	for _, tt := range tests {
		inv := parseInvocation(tt.args)
		assert.Equal(t, invocation{rules: tt.rules, vetCfg: tt.vetCfg, analyses: tt.analyses}, inv, "%q", tt.args)
	}
}

func writeCfg(t *testing.T, cfg map[string]string) string {
	t.Helper()
	data, err := json.Marshal(cfg)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "vet.cfg")
	require.NoError(t, os.WriteFile(path, data, 0o644))
	return path
}

func TestModuleRootInVetMode(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(root, "go.mod"), []byte("module example.com/m\n"), 0o644))
	pkg := filepath.Join(root, "a", "b")
	require.NoError(t, os.MkdirAll(pkg, 0o755))

	// A package of the main module: its module, not the working directory.
	inv := invocation{vetCfg: writeCfg(t, map[string]string{"Dir": pkg, "ModulePath": "example.com/m"})}
	got, err := inv.moduleRoot()
	require.NoError(t, err)
	assert.Equal(t, root, got)

	// The standard library takes no rules.
	t.Setenv("GOROOT", filepath.Join(root, "goroot"))
	inv = invocation{vetCfg: writeCfg(t, map[string]string{"Dir": filepath.Join(root, "goroot", "src", "sync")})}
	got, err = inv.moduleRoot()
	require.NoError(t, err)
	assert.Empty(t, got)
}

// FuzzParseInvocation: any command line parses without panicking, and a
// -rules=VALUE given last is the rules file whatever surrounds it.
func FuzzParseInvocation(f *testing.F) {
	f.Add("./...", "lint/rules.yaml")
	f.Add("-json --", "x.yaml")
	f.Add("-V=full", "")
	f.Add("/tmp/vet.cfg", "a b")
	f.Fuzz(func(t *testing.T, before, rules string) {
		args := append(strings.Fields(before), "-rules="+rules)
		inv := parseInvocation(args)
		prev := args[max(0, len(args)-2)]
		takesValue := strings.Contains(prev, "rules") && !strings.Contains(prev, "=") && strings.HasPrefix(prev, "-")
		if !slices.Contains(args[:len(args)-1], "--") && !takesValue {
			assert.Equal(t, rules, inv.rules)
		}
	})
}
