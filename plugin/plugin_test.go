package plugin

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/golangci/plugin-module-register/register"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// build decodes settings as golangci-lint passes them and builds the
// analyzer, resolving rules from this module.
func build(t *testing.T, settings map[string]any) *analysis.Analyzer {
	t.Helper()
	lp, err := New(settings)
	require.NoError(t, err)
	p := lp.(*Plugin)
	p.root = func() (string, error) { return filepath.Abs("..") }
	as, err := p.BuildAnalyzers()
	require.NoError(t, err)
	require.Len(t, as, 1)
	return as[0]
}

func TestRegistered(t *testing.T) {
	t.Parallel()
	newPlugin, err := register.GetPlugin("lifecyclecheck")
	require.NoError(t, err)
	lp, err := newPlugin(nil)
	require.NoError(t, err)
	assert.Equal(t, register.LoadModeTypesInfo, lp.GetLoadMode())
}

func TestUnknownSettingIsAnError(t *testing.T) {
	t.Parallel()
	_, err := New(map[string]any{"rulez": []any{}})
	require.ErrorContains(t, err, `unknown field "rulez"`)

	_, err = New(map[string]any{"rules": []any{map[string]any{"func": "a.F", "op": "free", "object": "x", "kind": "y"}}})
	require.ErrorContains(t, err, `unknown field "kind"`)
}

func TestUnknownKindIsAnError(t *testing.T) {
	t.Parallel()
	_, err := New(map[string]any{"disable": []any{"btree"}})
	require.ErrorContains(t, err, `unknown built-in kind "btree"`)
}

func TestMalformedInlineRuleNamesTheRule(t *testing.T) {
	t.Parallel()
	_, err := New(map[string]any{"rules": []any{
		map[string]any{"func": "(*bytes.Buffer).Reset", "op": "free", "object": 0},
		map[string]any{"func": "(*bytes.Buffer).Reset", "op": "insrt", "object": 0},
	}})
	require.ErrorContains(t, err, `lifecyclecheck settings: rules[1] (func "(*bytes.Buffer).Reset"): unknown op "insrt"`)
}

func TestUnresolvedInlineRuleNamesTheRule(t *testing.T) {
	t.Parallel()
	lp, err := New(map[string]any{"rules": []any{
		map[string]any{"func": "(*bytes.Buffer).Nope", "op": "free", "object": 0},
	}})
	require.NoError(t, err)
	p := lp.(*Plugin)
	p.root = func() (string, error) { return filepath.Abs("..") }
	_, err = p.BuildAnalyzers()
	require.ErrorContains(t, err, `lifecyclecheck settings: rules[0] (func "(*bytes.Buffer).Nope"): `)
}

func TestParamAcceptsNamesAndPositions(t *testing.T) {
	t.Parallel()
	s, err := register.DecodeSettings[Settings](map[string]any{"rules": []any{
		map[string]any{"func": "a.F", "op": "insert", "index": 1, "object": "x"},
	}})
	require.NoError(t, err)
	assert.Equal(t, Param("1"), s.Rules[0].Index)
	assert.Equal(t, Param("x"), s.Rules[0].Object)

	_, err = register.DecodeSettings[Settings](map[string]any{"rules": []any{map[string]any{"index": 1.5}}})
	require.Error(t, err)
}

func TestDefaultSettingsReport(t *testing.T) {
	t.Parallel()
	analysistest.Run(t, analysistest.TestData(), build(t, nil), "pooled")
}

func TestDisableReachesTheAnalyzer(t *testing.T) {
	t.Parallel()
	a := build(t, map[string]any{"disable": []any{"sync.Pool"}})
	analysistest.Run(t, analysistest.TestData(), a, "pooledoff")
}

func TestInlineRuleReachesTheAnalyzer(t *testing.T) {
	t.Parallel()
	a := build(t, map[string]any{"rules": []any{
		map[string]any{"func": "(*bytes.Buffer).Reset", "op": "free", "object": 0},
	}})
	analysistest.Run(t, analysistest.TestData(), a, "buffers")
}

func TestReportsCarryNoRelatedInformation(t *testing.T) {
	t.Parallel()
	results := analysistest.Run(t, analysistest.TestData(), build(t, nil), "pooled")
	require.Len(t, results, 1)
	require.Len(t, results[0].Diagnostics, 1)
	assert.Empty(t, results[0].Diagnostics[0].Related)
}

// configOf builds the plugin from settings in a module whose rules file
// holds file, and returns the config the analyzer gets.
func configOf(t *testing.T, settings map[string]any, file string) analyzer.Config {
	t.Helper()
	root := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(root, "go.mod"), []byte("module example.com/m\n\ngo 1.26\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, rules.DefaultFile), []byte(file), 0o644))
	lp, err := New(settings)
	require.NoError(t, err)
	p := lp.(*Plugin)
	p.root = func() (string, error) { return root, nil }
	var got analyzer.Config
	p.newAnalyzer = func(cfg analyzer.Config) *analysis.Analyzer {
		got = cfg
		return analyzer.New(cfg)
	}
	_, err = p.BuildAnalyzers()
	require.NoError(t, err)
	return got
}

func TestChecksReachTheAnalyzer(t *testing.T) {
	t.Parallel()
	const file = "checks: [all, -undo]\ndisable: [sync.Pool]\n"
	cfg := configOf(t, nil, file)
	assert.Equal(t, "freed,closed,partial,unregister", cfg.Checks.String(), "the file's checks")
	assert.Empty(t, cfg.Rules.Lookup("(*sync.Pool).Put"))

	cfg = configOf(t, map[string]any{"checks": []any{"freed", "closed"}, "disable": []any{"sync.Map"}}, file)
	assert.Equal(t, "freed,closed", cfg.Checks.String(), "the settings replace the file's checks")
	assert.Empty(t, cfg.Rules.Lookup("(*sync.Pool).Put"), "the file's disable stays")
	assert.Empty(t, cfg.Rules.Lookup("(*sync.Map).Store"), "and the settings' adds to it")
}

func TestBadChecksSettingIsAnError(t *testing.T) {
	t.Parallel()
	_, err := New(map[string]any{"checks": []any{"all", "-undoo"}})
	require.ErrorContains(t, err, `lifecyclecheck settings: checks: unknown check "undoo"`)
	_, err = New(map[string]any{"checks": []any{}})
	require.ErrorContains(t, err, "lifecyclecheck settings: checks is empty")
	_, err = New(map[string]any{"checks": "all"})
	require.Error(t, err)
}

func TestExcludeSetting(t *testing.T) {
	t.Parallel()
	_, err := New(map[string]any{"exclude": []any{"gen/**", "**/*.pb.go"}})
	require.NoError(t, err)
	_, err = New(map[string]any{"exclude": []any{"gen/["}})
	require.ErrorContains(t, err, `lifecyclecheck settings: exclude "gen/[" is not a valid path glob`)
}

func TestBadChecksInRulesFileIsAnError(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(root, "go.mod"), []byte("module example.com/m\n\ngo 1.26\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, rules.DefaultFile), []byte("checks: [bogus]\n"), 0o644))
	lp, err := New(map[string]any{"checks": []any{"freed"}})
	require.NoError(t, err)
	p := lp.(*Plugin)
	p.root = func() (string, error) { return root, nil }
	_, err = p.BuildAnalyzers()
	require.ErrorContains(t, err, `.lifecyclecheck.yaml:1: unknown check "bogus"`, "replaced, but still checked")
}

func TestInlineCloseAndKeep(t *testing.T) {
	t.Parallel()
	cfg := configOf(t, map[string]any{"rules": []any{
		map[string]any{"func": "(*bufio.Writer).Flush", "op": "close", "object": 0},
		map[string]any{"func": "(*bufio.Writer).Reset", "op": "keep", "object": "w"},
	}}, "checks: [all]\n")
	assert.Equal(t, []rules.Op{{Kind: rules.Close, Index: rules.Any, Object: 0}}, cfg.Rules.Lookup("(*bufio.Writer).Flush"))
	assert.Equal(t, []rules.Op{{Kind: rules.Keep, Index: rules.Any, Object: 1}}, cfg.Rules.Lookup("(*bufio.Writer).Reset"))

	_, err := New(map[string]any{"rules": []any{
		map[string]any{"func": "(*bufio.Writer).Flush", "op": "close", "index": 0, "object": 0},
	}})
	require.ErrorContains(t, err, `lifecyclecheck settings: rules[0] (func "(*bufio.Writer).Flush"): close rule takes no index: remove index`)
}
