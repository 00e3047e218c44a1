package main

import (
	"go/token"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer"
	"github.com/lifecyclecheck/lifecyclecheck/internal/version"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// The SARIF log names the OASIS schema and points rules at the README.
const (
	sarifSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	projectURL  = "https://github.com/lifecyclecheck/lifecyclecheck"
	srcRoot     = "%SRCROOT%" // the base of relative artifact URIs
)

// checkDoc is the help of one check as a SARIF rule, from the check's own
// documentation (analyzer.CheckDocs).
type checkDoc struct {
	short, full, help, markdown string
	uri                         string // its section of docs/checks.md
}

// checkDocs describes each check of rules.Checks.
func checkDocs() map[string]checkDoc {
	out := make(map[string]checkDoc)
	for _, d := range analyzer.CheckDocs() {
		out[d.Check] = checkDoc{short: d.Title, full: d.Reports, help: d.Text, markdown: d.Markdown,
			uri: projectURL + "/blob/main/docs/checks.md#" + d.Check}
	}
	return out
}

// writeSARIF prints the findings as a SARIF 2.1.0 log, with artifact URIs
// relative to the source root of dir (see sourceRoot); "" is the working
// directory.
func writeSARIF(w io.Writer, findings []finding, dir string) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := buildSARIF(findings, sourceRoot(dir)).PrettyWrite(w); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// buildSARIF makes the SARIF log of the findings: one run, each check a
// rule, each finding a result with its fingerprint and, when it has
// related positions, a code flow through them to the finding.
func buildSARIF(findings []finding, root string) *sarif.Report {
	report, _ := sarif.New(sarif.Version210, false) // Version210 is known
	report.Schema = sarifSchema
	run := sarif.NewRunWithInformationURI("lifecyclecheck", projectURL)
	run.Tool.Driver.WithVersion(version.Module())
	run.WithOriginalUriBaseIds(map[string]*sarif.ArtifactLocation{
		srcRoot: sarif.NewSimpleArtifactLocation(fileURI(root) + "/"),
	})
	docs := checkDocs()
	for _, c := range rules.Checks() {
		addRule(run, c, docs[c])
	}
	for _, f := range findings {
		if _, ok := docs[f.check]; !ok {
			addRule(run, f.check, checkDoc{short: f.check, full: f.check})
		}
		run.AddResult(sarifResult(f, root))
	}
	report.AddRun(run)
	return report
}

// addRule declares check as a rule of run.
func addRule(run *sarif.Run, check string, doc checkDoc) {
	rule := run.AddRule(check).
		WithName(check).
		WithShortDescription(sarif.NewMultiformatMessageString(doc.short)).
		WithFullDescription(sarif.NewMultiformatMessageString(doc.full))
	if doc.markdown != "" {
		rule.WithMarkdownHelp(doc.markdown)
	}
	if doc.help != "" {
		rule.WithTextHelp(doc.help)
	} else {
		rule.WithTextHelp(doc.full)
	}
	if doc.uri != "" {
		rule.WithHelpURI(doc.uri)
	}
}

// sarifResult converts one finding.
func sarifResult(f finding, root string) *sarif.Result {
	res := sarif.NewRuleResult(f.check).
		WithLevel("warning").
		WithMessage(sarif.NewTextMessage(f.diag.Message)).
		WithLocations([]*sarif.Location{sarifLocation(root, f.diag.Posn, f.end(), "")}).
		WithPartialFingerPrints(map[string]interface{}{fingerprintKey: fingerprint(f)})
	if flow := threadFlow(f, root); flow != nil {
		res.WithCodeFlows([]*sarif.CodeFlow{sarif.NewCodeFlow().WithThreadFlows([]*sarif.ThreadFlow{flow})})
	}
	if fixes := sarifFixes(f, root); len(fixes) > 0 {
		res.WithFix(fixes)
	} else if why := noFix(f); why != "" {
		res.Properties = sarif.Properties{"noFix": why} // why there is no fix
	}
	return res
}

// noFixPrefix starts the related message that says why a finding has no
// fix (see the analyzer's reports).
const noFixPrefix = "no automatic fix: "

// noFix returns why the finding has no fix, or "".
func noFix(f finding) string {
	for _, rel := range f.diag.Related {
		if why, ok := strings.CutPrefix(rel.Message, noFixPrefix); ok {
			return why
		}
	}
	return ""
}

// sarifFixes converts the finding's suggested fixes (what -fix applies):
// each a change of one or more files, each edit a replacement of a region
// (empty for an insertion) by new text.
func sarifFixes(f finding, root string) []*sarif.Fix {
	var out []*sarif.Fix
	for _, sf := range f.diag.Fixes {
		byFile := map[string]*sarif.ArtifactChange{}
		var changes []*sarif.ArtifactChange
		for _, e := range sf.Edits {
			start, end := e.Start, endOr(e.End, e.Start)
			ch, ok := byFile[start.Filename]
			if !ok {
				ch = sarif.NewArtifactChange(artifactLocation(root, start.Filename))
				byFile[start.Filename] = ch
				changes = append(changes, ch)
			}
			region := sarif.NewRegion().WithStartLine(start.Line).WithStartColumn(start.Column).
				WithEndLine(end.Line).WithEndColumn(end.Column)
			ch.WithReplacement(sarif.NewReplacement(region).WithInsertedContent(sarif.NewArtifactContent().WithText(e.New)))
		}
		if len(changes) > 0 {
			out = append(out, sarif.NewFix().WithDescriptionText(sf.Message).WithArtifactChanges(changes))
		}
	}
	return out
}

// threadFlow walks the finding's related positions in order (the insert,
// the calls, the end of life) and ends at the finding itself, unless the
// last of them is already there; nil without related positions.
func threadFlow(f finding, root string) *sarif.ThreadFlow {
	if len(f.diag.Related) == 0 {
		return nil
	}
	var locs []*sarif.ThreadFlowLocation
	var last token.Position
	for _, rel := range f.diag.Related {
		if strings.HasPrefix(rel.Message, noFixPrefix) {
			continue // no step of the flow: the result's noFix property
		}
		locs = append(locs, sarif.NewThreadFlowLocation().WithLocation(sarifLocation(root, rel.Posn, rel.End, strings.TrimSpace(rel.Message))))
		last = rel.Posn
	}
	if last != f.diag.Posn {
		locs = append(locs, sarif.NewThreadFlowLocation().WithLocation(sarifLocation(root, f.diag.Posn, f.end(), f.diag.Message)))
	}
	return sarif.NewThreadFlow().WithLocations(locs)
}

// sarifLocation is a location of a region of a file, with a message if
// msg is not empty.
func sarifLocation(root string, posn, end token.Position, msg string) *sarif.Location {
	region := sarif.NewRegion().WithStartLine(max(posn.Line, 1))
	if posn.Column > 0 {
		region.WithStartColumn(posn.Column)
	}
	if end.IsValid() && end.Filename == posn.Filename && end.Offset > posn.Offset {
		region.WithEndLine(end.Line).WithEndColumn(end.Column)
	}
	loc := sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().
		WithArtifactLocation(artifactLocation(root, posn.Filename)).
		WithRegion(region))
	if msg != "" {
		loc.WithMessage(sarif.NewTextMessage(msg))
	}
	return loc
}

// artifactLocation names a file by its path relative to root, against
// %SRCROOT%, or by its file: URI when it is outside root.
func artifactLocation(root, filename string) *sarif.ArtifactLocation {
	rel, err := filepath.Rel(root, filename)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return sarif.NewSimpleArtifactLocation(fileURI(filename))
	}
	u := url.URL{Path: filepath.ToSlash(rel)}
	return sarif.NewSimpleArtifactLocation(u.EscapedPath()).WithUriBaseId(srcRoot)
}

// fileURI is the file: URI of an absolute path.
func fileURI(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive: file:///C:/...
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// sourceRoot is the directory artifact URIs are relative to: the nearest
// directory from dir up that holds .git (code scanning resolves URIs
// against the repository root), else dir itself.
func sourceRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}
