package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer"
	"github.com/lifecyclecheck/lifecyclecheck/config"
)

// runIn runs the standalone command in dir, with a cache of its own, and
// returns its status, stdout and stderr.
func runIn(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errs bytes.Buffer
	args = append([]string{"-cache=" + t.TempDir()}, args...)
	status := standalone(args, analyzer.New(analyzer.Config{}), streams{out: &out, errs: &errs, dir: dir}, nil)
	return status, out.String(), errs.String()
}

func TestStandaloneFormatsAndExitCodes(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"conns/conns.go": connsGo})

	status, out, errs := runIn(t, dir, "-test=false", "./...")
	assert.Equal(t, 3, status)
	assert.Empty(t, out)
	assert.Regexp(t, `conns/conns.go:17:\d+: c freed by release while still in index byID`, errs)

	status, out, errs = runIn(t, dir, "-test=false", "-format=sarif", "./...")
	assert.Equal(t, 0, status, errs)
	var log struct {
		Runs []struct{ Results []struct{ RuleID string } }
	}
	require.NoError(t, json.Unmarshal([]byte(out), &log))
	require.Len(t, log.Runs[0].Results, 1)
	assert.Equal(t, "freed", log.Runs[0].Results[0].RuleID)

	status, out, _ = runIn(t, dir, "-test=false", "-json", "./...")
	assert.Equal(t, 0, status)
	assert.Contains(t, out, `"example.com/m/conns"`)

	for _, help := range []string{"-help", "help"} {
		status, out, _ = runIn(t, dir, help)
		assert.Equal(t, 0, status)
		assert.Contains(t, out, "-format format")
	}

	for _, bad := range [][]string{
		{"-format=xml", "./..."},
		{"-json", "-format=sarif", "./..."},
		{"-baseline=a", "-write-baseline=b", "./..."},
		{"-fix", "-format=sarif", "./..."},
		{"-nosuchflag", "./..."},
	} {
		status, _, errs = runIn(t, dir, bad...)
		assert.Equal(t, 2, status, "%q: %s", bad, errs)
	}
}

func TestStandaloneBaseline(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"conns/conns.go": connsGo})
	path := filepath.Join(dir, "lifecyclecheck-baseline.json")
	status, out, errs := runIn(t, dir, "-test=false", "-write-baseline="+path, "./...")
	assert.Equal(t, 0, status)
	assert.Empty(t, out)
	assert.Equal(t, "lifecyclecheck: recorded 1 finding in "+path+"\n", errs)

	status, out, errs = runIn(t, dir, "-test=false", "-baseline="+path, "./...")
	assert.Equal(t, 0, status)
	assert.Empty(t, out+errs)

	status, _, errs = runIn(t, dir, "-baseline=nonexistent.json", "./...")
	assert.Equal(t, 1, status)
	assert.Contains(t, errs, "nonexistent.json")
}

func TestStandaloneMergesTestVariants(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{
		"conns/conns.go":      connsGo,
		"conns/conns_test.go": "package conns\n\nimport \"testing\"\n\nfunc TestDrop(t *testing.T) { Drop(\"x\") }\n",
	})
	status, out, errs := runIn(t, dir, "-json", "./...")
	require.Equal(t, 0, status, errs)
	var tree map[string]map[string][]struct{ Posn string }
	require.NoError(t, json.Unmarshal([]byte(out), &tree))
	n := 0
	for _, byAnalyzer := range tree {
		n += len(byAnalyzer["lifecyclecheck"])
	}
	assert.Equal(t, 1, n, "one finding, not one per test variant: %s", out)
}

func TestStandaloneTags(t *testing.T) {
	t.Parallel()
	tagged := "//go:build foo\n\n" + strings.Replace(connsGo, "func release", "func releaseTagged", 1)
	tagged = strings.NewReplacer("func release(c *Conn) {}", "", "release(c)", "releaseTagged(c)").Replace(tagged)
	dir := writeModule(t, map[string]string{"conns/conns.go": tagged, "conns/doc.go": "package conns\n"})
	status, _, errs := runIn(t, dir, "-test=false", "./...")
	assert.Equal(t, 0, status, errs)
	status, _, errs = runIn(t, dir, "-test=false", "-tags=foo", "./...")
	assert.Equal(t, 3, status)
	assert.Contains(t, errs, "c freed by releaseTagged")
}

func TestStandaloneLoadErrorsOneLineEach(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{
		"a/a.go": "package a\n\nfunc F() int { return \"x\" }\n",
		"b/b.go": "package b\n\nimport \"example.com/m/a\"\n\nvar _ = a.F\n",
	})
	status, out, errs := runIn(t, dir, "-test=false", "./...")
	assert.Equal(t, 1, status)
	assert.Empty(t, out)
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	require.Len(t, lines, 1, errs)
	assert.Regexp(t, `a/a.go:3:\d+: cannot use "x"`, lines[0])
	assert.NotContains(t, errs, "prerequisites")

	// Findings elsewhere are reported, and the load error still makes it 1.
	dir = writeModule(t, map[string]string{
		"a/a.go":         "package a\n\nfunc F() int { return \"x\" }\n",
		"conns/conns.go": connsGo,
	})
	status, _, errs = runIn(t, dir, "-test=false", "./...")
	assert.Equal(t, 1, status)
	assert.Contains(t, errs, "c freed by release")
	lines = strings.Split(strings.TrimSpace(errs), "\n")
	assert.Regexp(t, `a/a.go:3:\d+: cannot use "x"`, lines[0])
	assert.NotContains(t, errs, "prerequisites")
}

// TestStandaloneNonGoFileOneError: a file named .go that is no Go source
// (a binary) is one error, not one per parser complaint and the type
// errors that follow.
func TestStandaloneNonGoFileOneError(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{
		"p/p.go": "package p\n\nfunc F() {}\n",
		"p/x.go": "\x7fELF\x02\x01\x01\x00\xff\xfe\x00\x00garbage\n\xff\xff\n",
	})
	status, out, errs := runIn(t, dir, "-test=false", "./...")
	assert.Equal(t, 1, status)
	assert.Empty(t, out)
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	require.Len(t, lines, 1, errs)
	assert.Regexp(t, `p/x.go:1:\d+: `, lines[0])
}

func TestProgress(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	p := startProgress(&buf, false)
	assert.Nil(t, p, "not a terminal: no progress")
	p.setTotal(3)
	p.stop()
	assert.Empty(t, buf.String())

	p = startProgressAfter(&buf, 0, time.Millisecond)
	p.setTotal(3)
	p.done.Add(2)
	time.Sleep(20 * time.Millisecond)
	p.stop()
	assert.Contains(t, buf.String(), "\rlifecyclecheck: 2/3 packages analysed")
	assert.True(t, strings.HasSuffix(buf.String(), "\r\x1b[K"), "the line is erased at the end")
}

// A malformed or misplaced directive is a bad configuration: it is shown
// at the directive, and the run exits 1, as for a bad rules file.
func TestBadDirectiveExitsOne(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"conns/conns.go": `package conns

//lifecycle:close c
type Conn struct{}
`})
	status, _, errs := runIn(t, dir, "-test=false", "./...")
	assert.Equal(t, 1, status, errs)
	assert.Regexp(t, `conns/conns.go:3:\d+: .*//lifecycle:close`, errs)

	status, out, errs := runIn(t, dir, "-test=false", "-format=sarif", "./...")
	assert.Equal(t, 1, status, errs)
	assert.Contains(t, out, `"ruleId": "directive"`)
}

// TestStandaloneExclude: exclude: globs in .lifecyclecheck.yaml leave out
// the findings in the files they match, and only those.
func TestStandaloneExclude(t *testing.T) {
	t.Parallel()
	const rulesFile = "exclude: [\"gen/**\", \"examples/**/*.go\"]\n"
	dir := writeModule(t, map[string]string{
		"conns/conns.go":        connsGo,
		"gen/conns/conns.go":    connsGo,
		"examples/a/b/conns.go": connsGo,
		".lifecyclecheck.yaml":  rulesFile,
	})
	loaded, err := config.Options{Root: dir}.Load()
	require.NoError(t, err)
	a := analyzer.New(analyzer.Config{Rules: loaded.Rules, Excluded: loaded.Excluded})
	var out, errs bytes.Buffer
	args := []string{"-cache=" + t.TempDir(), "-test=false", "./..."}
	status := standalone(args, a, streams{out: &out, errs: &errs, dir: dir}, []byte(rulesFile))
	assert.Equal(t, 3, status, errs.String())
	assert.Contains(t, errs.String(), "/conns/conns.go:17:")
	assert.NotContains(t, errs.String(), "gen/conns")
	assert.NotContains(t, errs.String(), "examples/")

	dir = writeModule(t, map[string]string{
		"conns/conns.go":       connsGo,
		".lifecyclecheck.yaml": "exclude: [\"gen/[\"]\n",
	})
	_, err = config.Options{Root: dir}.Load()
	require.Error(t, err)
	assert.Contains(t, err.Error(), ".lifecyclecheck.yaml:1: exclude \"gen/[\" is not a valid path glob")
}
