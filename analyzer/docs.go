package analyzer

import (
	"regexp"
	"strings"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/checks"
)

// CheckDoc is the documentation of one check: what it reports, an
// example with its report, how to fix and how to silence it. It is
// written once, beside each check, and read by -explain, by the SARIF
// log's rule help and by docs/checks.md.
type CheckDoc struct {
	Check, Title, Reports, Details, Example, Report, Fix, Silence string
	// Markdown and Text render the whole documentation: a section of
	// docs/checks.md, and what -explain prints.
	Markdown, Text string
}

// wantComment is an analysistest expectation, which the examples carry
// for their test and users do not see.
var wantComment = regexp.MustCompile(` *// want .*`)

// CheckDocs returns the documentation of every check, in rules.Checks
// order.
func CheckDocs() []CheckDoc {
	var out []CheckDoc
	for _, d := range checks.Docs() {
		raw := d.Example
		d.Example = strings.TrimSpace(wantComment.ReplaceAllString(raw, "")) + "\n"
		out = append(out, CheckDoc{Check: d.Check, Title: d.Title, Reports: d.Reports, Details: d.Details,
			Example: d.Example, Report: d.Report, Fix: d.Fix, Silence: d.Silence(),
			Markdown: d.Markdown(), Text: d.Text()})
	}
	return out
}

// CheckExample returns the example of check as its test reads it, with
// its expectations, or "".
func CheckExample(check string) string {
	for _, d := range checks.Docs() {
		if d.Check == check {
			return strings.TrimSpace(d.Example) + "\n"
		}
	}
	return ""
}
