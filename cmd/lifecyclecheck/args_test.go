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

	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

func TestParseInvocation(t *testing.T) {
	tests := []struct {
		args []string
		want invocation
	}{
		{[]string{"./..."}, invocation{analyses: true}},
		{[]string{"-rules=r.yaml", "./..."}, invocation{rules: "r.yaml", analyses: true}},
		{[]string{"--rules", "r.yaml", "./..."}, invocation{rules: "r.yaml", analyses: true}},
		{[]string{"-json", "-lifecyclecheck.rules=x/r.yaml", "./..."}, invocation{rules: "x/r.yaml", analyses: true}},
		{[]string{"-rules=r.yaml", "-json", "/tmp/b001/vet.cfg"}, invocation{rules: "r.yaml", vetCfg: "/tmp/b001/vet.cfg", analyses: true}},
		{[]string{"-V=full"}, invocation{}},
		{[]string{"-flags"}, invocation{}},
		{[]string{"--", "-rules=x"}, invocation{analyses: true}},
		{[]string{"-checks=all,-undo", "./..."}, invocation{checks: "all,-undo", hasChecks: true, analyses: true}},
		{[]string{"--checks", "freed", "./..."}, invocation{checks: "freed", hasChecks: true, analyses: true}},
		{[]string{"-lifecyclecheck.checks=-closed", "-rules", "r.yaml", "/tmp/vet.cfg"},
			invocation{rules: "r.yaml", checks: "-closed", hasChecks: true, vetCfg: "/tmp/vet.cfg", analyses: true}},
		{[]string{"--lifecyclecheck.checks", "closed", "-checks=freed", "./..."}, invocation{checks: "freed", hasChecks: true, analyses: true}},
		{[]string{"-checks=", "./..."}, invocation{checks: "", hasChecks: true, analyses: true}},
		{[]string{"--", "-checks=x"}, invocation{analyses: true}},
		{[]string{"-tags", "foo", "-json", "/tmp/b001/vet.cfg"}, invocation{vetCfg: "/tmp/b001/vet.cfg", analyses: true}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, parseInvocation(tt.args), "%q", tt.args)
	}
}

// vetInvocation is a vet-mode invocation for a package of the module at
// root, with the flags in args.
func vetInvocation(t *testing.T, root string, args ...string) invocation {
	t.Helper()
	cfg := writeCfg(t, map[string]string{"Dir": root, "ModulePath": "example.com/m"})
	return parseInvocation(append(args, cfg))
}

func TestConfigChecks(t *testing.T) {
	root := writeModule(t, map[string]string{rules.DefaultFile: "checks: [all, -undo]\ndisable: [sync.Pool]\n"})
	got, err := vetInvocation(t, root).config()
	require.NoError(t, err)
	assert.Equal(t, "freed,closed,partial,unregister", got.Checks.String(), "the file's checks")
	assert.Empty(t, got.Rules.Lookup("(*sync.Pool).Put"), "the file's disable")

	got, err = vetInvocation(t, root, "-checks=freed,closed").config()
	require.NoError(t, err)
	assert.Equal(t, "freed,closed", got.Checks.String(), "-checks replaces the file's checks")
	assert.Empty(t, got.Rules.Lookup("(*sync.Pool).Put"))
}

func TestConfigBadChecks(t *testing.T) {
	// -checks is checked first: its error comes alone, even where the
	// rules file is bad too.
	root := writeModule(t, map[string]string{rules.DefaultFile: "checks: [bogus]\n"})
	for _, args := range [][]string{{"-checks=all,-bogus"}, {"--lifecyclecheck.checks", "freed,bogus"}} {
		_, err := vetInvocation(t, root, args...).config()
		assert.EqualError(t, err, `-checks: unknown check "bogus": want all or one of freed, closed, undo, partial, unregister, each optionally prefixed with -`)
	}
	_, err := vetInvocation(t, root, "-checks=").config()
	assert.EqualError(t, err, "-checks is empty: write -checks=all, or a list such as -checks=all,-undo")

	_, err = vetInvocation(t, root, "-checks=freed").config()
	var fe *rules.FileError
	require.ErrorAs(t, err, &fe, "the file's checks are still checked")
	assert.Equal(t, 1, fe.Line)
}

func TestConfigWithoutRulesChecksStillApply(t *testing.T) {
	// The standard library takes no rules, but -checks applies to it.
	t.Setenv("GOROOT", t.TempDir())
	cfg := writeCfg(t, map[string]string{"Dir": filepath.Join(os.Getenv("GOROOT"), "src", "sync")})
	got, err := parseInvocation([]string{"-checks=-undo", cfg}).config()
	require.NoError(t, err)
	assert.Nil(t, got.Rules)
	assert.Equal(t, "freed,closed,partial,unregister", got.Checks.String())

	_, err = parseInvocation([]string{"-checks=undoo", cfg}).config()
	require.ErrorContains(t, err, `unknown check "undoo"`)
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
// -rules=VALUE or -checks=VALUE given last is the value whatever
// surrounds it.
func FuzzParseInvocation(f *testing.F) {
	f.Add("./...", "lint/rules.yaml", false)
	f.Add("-json --", "x.yaml", false)
	f.Add("-V=full", "", false)
	f.Add("/tmp/vet.cfg", "a b", false)
	f.Add("-checks", "all,-undo", true)
	f.Add("-rules x.yaml --lifecyclecheck.checks", "freed", true)
	f.Fuzz(func(t *testing.T, before, value string, checks bool) {
		flag := map[bool]string{false: "-rules=", true: "-checks="}[checks]
		args := append(strings.Fields(before), flag+value)
		inv := parseInvocation(args)
		prev := args[max(0, len(args)-2)]
		takesValue := (strings.Contains(prev, "rules") || strings.Contains(prev, "checks")) &&
			!strings.Contains(prev, "=") && strings.HasPrefix(prev, "-")
		if slices.Contains(args[:len(args)-1], "--") || takesValue {
			return
		}
		if checks {
			assert.Equal(t, value, inv.checks)
			assert.True(t, inv.hasChecks)
		} else {
			assert.Equal(t, value, inv.rules)
		}
	})
}
