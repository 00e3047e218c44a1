package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v2/sarif"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lifecyclecheck/lifecyclecheck/internal/driver"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

func TestSARIFRulesAreTheChecks(t *testing.T) {
	t.Parallel()
	run := buildSARIF(nil, "/src").Runs[0]
	var ids []string
	for _, r := range run.Tool.Driver.Rules {
		ids = append(ids, r.ID)
		require.NotNil(t, r.ShortDescription, r.ID)
		require.NotNil(t, r.FullDescription, r.ID)
		require.NotNil(t, r.HelpURI, r.ID)
		assert.True(t, strings.HasPrefix(*r.HelpURI, projectURL+"/blob/main/docs/checks.md#"), *r.HelpURI)
		require.NotNil(t, r.Help, r.ID)
		require.NotNil(t, r.Help.Markdown, r.ID)
		assert.Contains(t, *r.Help.Markdown, "How to fix", r.ID)
	}
	assert.Equal(t, rules.Checks(), ids)
	assert.NotNil(t, run.Results, "an empty run still has results: []")
}

// docAnchors returns the anchors GitHub gives the headings of a
// markdown file of the repository.
func docAnchors(t *testing.T, path string) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", path))
	require.NoError(t, err)
	drop := regexp.MustCompile(`[^\p{L}\p{N}\- _]`)
	anchors := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		if heading, ok := strings.CutPrefix(strings.TrimLeft(line, "#"), " "); ok && strings.HasPrefix(line, "#") {
			slug := strings.ReplaceAll(drop.ReplaceAllString(strings.ToLower(heading), ""), " ", "-")
			anchors[slug] = true
		}
	}
	return anchors
}

func TestSARIFHelpURIsPointAtDocHeadings(t *testing.T) {
	t.Parallel()
	anchors := docAnchors(t, "docs/checks.md")
	for _, r := range buildSARIF(nil, "/src").Runs[0].Tool.Driver.Rules {
		_, anchor, _ := strings.Cut(*r.HelpURI, "#")
		assert.True(t, anchors[anchor], "docs/checks.md has no heading for #%s (rule %s)", anchor, r.ID)
	}
}

// syntheticFinding is a finding at line 10 of /src/a/a.go with related
// positions on the given lines: each at the second column of its line,
// lines 20 bytes long.
func syntheticFinding(relatedLines ...int) finding {
	pos := func(line int) token.Position {
		return token.Position{Filename: "/src/a/a.go", Offset: (line-1)*20 + 1, Line: line, Column: 2}
	}
	d := driver.Diagnostic{Posn: pos(10), Function: "F", Message: "x freed by pool.Put while still in index m (inserted at a.go:3)"}
	for i, l := range relatedLines {
		d.Related = append(d.Related, driver.Related{Posn: pos(l), Message: "\tstep " + string(rune('a'+i))})
	}
	return finding{check: "freed", diag: d, file: "a/a.go"}
}

// flowLines returns the lines and messages of the result's thread flow.
func flowLines(t *testing.T, res *sarif.Result) ([]int, []string) {
	t.Helper()
	require.Len(t, res.CodeFlows, 1)
	require.Len(t, res.CodeFlows[0].ThreadFlows, 1)
	var lines []int
	var msgs []string
	for _, l := range res.CodeFlows[0].ThreadFlows[0].Locations {
		lines = append(lines, *l.Location.PhysicalLocation.Region.StartLine)
		msgs = append(msgs, *l.Location.Message.Text)
	}
	return lines, msgs
}

func TestSARIFThreadFlowEndsAtTheFinding(t *testing.T) {
	t.Parallel()
	res := sarifResult(syntheticFinding(3, 7), "/src")
	lines, msgs := flowLines(t, res)
	assert.Equal(t, []int{3, 7, 10}, lines)
	assert.Equal(t, []string{"step a", "step b", *res.Message.Text}, msgs)
	assert.Equal(t, map[string]interface{}{fingerprintKey: fingerprint(syntheticFinding())}, res.PartialFingerprints)
	uri := res.Locations[0].PhysicalLocation.ArtifactLocation
	assert.Equal(t, "a/a.go", *uri.URI)
	assert.Equal(t, srcRoot, *uri.URIBaseId)

	// The finding is already the last step: not repeated.
	lines, _ = flowLines(t, sarifResult(syntheticFinding(3, 10), "/src"))
	assert.Equal(t, []int{3, 10}, lines)

	// No related positions, no code flow.
	assert.Empty(t, sarifResult(syntheticFinding(), "/src").CodeFlows)
}

func TestSARIFFilesOutsideTheRootAreFileURIs(t *testing.T) {
	t.Parallel()
	loc := artifactLocation("/work/repo", "/root/go/pkg/mod/example.com/x@v1.0.0/x.go")
	assert.Equal(t, "file:///root/go/pkg/mod/example.com/x@v1.0.0/x.go", *loc.URI)
	assert.Nil(t, loc.URIBaseId)
}

// The official SARIF 2.1.0 schema (OASIS errata 01), as gosec ships it in
// its module for its own tests: fetched through the Go module proxy and
// checked byte for byte.
const (
	schemaModule = "github.com/securego/gosec/v2@v2.30.0"
	schemaFile   = "report/sarif/testdata/sarif-schema-2.1.0.json"
	schemaSHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
)

// sarifSchemaValidator compiles the official schema.
func sarifSchemaValidator(t *testing.T) *jsonschema.Schema {
	t.Helper()
	cmd := exec.Command("go", "mod", "download", "-json", schemaModule)
	cmd.Dir = t.TempDir() // outside this module: go.sum stays as it is
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
	out, err := cmd.Output()
	require.NoError(t, err, "go mod download %s: %s", schemaModule, out)
	var mod struct{ Dir string }
	require.NoError(t, json.Unmarshal(out, &mod))
	data, err := os.ReadFile(filepath.Join(mod.Dir, filepath.FromSlash(schemaFile)))
	require.NoError(t, err)
	sum := sha256.Sum256(data)
	require.Equal(t, schemaSHA256, hex.EncodeToString(sum[:]), "not the official schema")

	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("https://example.invalid/sarif-schema-2.1.0.json", doc))
	sch, err := c.Compile("https://example.invalid/sarif-schema-2.1.0.json")
	require.NoError(t, err)
	return sch
}

// validateSARIF checks a SARIF log against the schema.
func validateSARIF(t *testing.T, sch *jsonschema.Schema, log []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(log))
	require.NoError(t, err)
	require.NoError(t, sch.Validate(inst))
}

func TestSARIFIsSchemaValid(t *testing.T) {
	t.Parallel()
	sch := sarifSchemaValidator(t)
	dir := writeModule(t, map[string]string{"conns/conns.go": connsGo + leakGo})
	for _, fs := range [][]finding{nil, findingsIn(t, dir), {syntheticFinding(3, 7)}} {
		var buf bytes.Buffer
		require.NoError(t, writeSARIF(&buf, fs, dir))
		validateSARIF(t, sch, buf.Bytes())
	}

	// Not everything passes: the schema is really applied.
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(`{"version": "2.1.0", "runs": [{"tool": {}}]}`))
	require.NoError(t, err)
	require.Error(t, sch.Validate(inst))
}

// TestSARIFFileIsSchemaValid validates the file named by
// LIFECYCLECHECK_SARIF_FILE: e2e/run.sh checks the command's output so.
func TestSARIFFileIsSchemaValid(t *testing.T) {
	path := os.Getenv("LIFECYCLECHECK_SARIF_FILE")
	if path == "" {
		t.Skip("LIFECYCLECHECK_SARIF_FILE not set")
	}
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	validateSARIF(t, sarifSchemaValidator(t), data)
}

// TestSARIFFixes: a finding's suggested fix (what -fix applies) is a SARIF
// fix: a replacement of an empty region by the delete.
func TestSARIFFixes(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"conns/conns.go": connsGo})
	fs := findingsIn(t, dir)
	require.Len(t, fs, 1)
	require.NotEmpty(t, fs[0].diag.Fixes, "the fixture's finding has a fix")
	res := buildSARIF(fs, dir).Runs[0].Results[0]
	require.Len(t, res.Fixes, 1)
	ch := res.Fixes[0].ArtifactChanges
	require.Len(t, ch, 1)
	assert.Equal(t, "conns/conns.go", *ch[0].ArtifactLocation.URI)
	require.Len(t, ch[0].Replacements, 1)
	r := ch[0].Replacements[0]
	assert.Equal(t, *r.DeletedRegion.StartLine, *r.DeletedRegion.EndLine)
	assert.Equal(t, *r.DeletedRegion.StartColumn, *r.DeletedRegion.EndColumn, "an insertion deletes nothing")
	assert.Contains(t, *r.InsertedContent.Text, "delete(byID, id)")
}

// TestSARIFNoFixReason: a finding without a fix says why, as the result's
// noFix property, and the reason is no step of its code flow.
func TestSARIFNoFixReason(t *testing.T) {
	t.Parallel()
	f := syntheticFinding(3, 7)
	f.diag.Related = append(f.diag.Related, driver.Related{Posn: f.diag.Posn, Message: noFixPrefix + "the free is deferred"})
	res := buildSARIF([]finding{f}, "/src").Runs[0].Results[0]
	assert.Empty(t, res.Fixes)
	assert.Equal(t, "the free is deferred", res.Properties["noFix"])
	for _, loc := range res.CodeFlows[0].ThreadFlows[0].Locations {
		assert.NotContains(t, *loc.Location.Message.Text, "no automatic fix")
	}
}
