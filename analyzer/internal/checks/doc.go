package checks

import (
	"fmt"
	"strings"

	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// Doc is the documentation of one check, written once, beside the check
// (each check's file declares its own), and read by -explain, by the
// SARIF log's rule help and by docs/checks.md, which is generated from it.
type Doc struct {
	Check string // the name reports carry
	Title string // one line
	// Reports says what the check reports and where (one paragraph);
	// Details what it judges and what it leaves alone (paragraphs,
	// markdown).
	Reports, Details string
	// Example is a short Go shape it reports, with the report (the first
	// line the report's position); Fix says how to fix it; Silence how to
	// silence one report, or the check.
	Example, Report, Fix string
	// NoFix says why the check offers no automatic fix (empty when it
	// offers one where it can, as freed does): reports without a fix
	// give it.
	NoFix string
}

// NoFixOf returns why check offers no automatic fix, or "".
func NoFixOf(check string) string {
	for _, d := range Docs() {
		if d.Check == check {
			return d.NoFix
		}
	}
	return ""
}

// Docs returns the documentation of every check, in rules.Checks order.
func Docs() []Doc {
	docs := []Doc{freedDoc, closedDoc, undoDoc, partialDoc, unregisterDoc}
	for i, c := range rules.Checks() {
		if docs[i].Check != c {
			panic(fmt.Sprintf("checks.Docs: %s documented as %s", c, docs[i].Check)) // a programming error, caught by tests
		}
	}
	return docs
}

// silence is how one report or a check is turned off, the same for all.
const silence = "Silence one report with `//lifecycle:ignore REASON` on its line or the line above (`//nolint:lifecyclecheck` under golangci-lint); " +
	"turn the check off with `-checks=all,-CHECK`, `checks: [all, -CHECK]` in `.lifecyclecheck.yaml`, " +
	"or the golangci-lint plugin's `checks` setting; record existing findings with `-write-baseline`."

// Silence says how to silence one report of the check, or the check.
func (d Doc) Silence() string { return strings.ReplaceAll(silence, "CHECK", d.Check) }

// Markdown renders the documentation as a section of docs/checks.md.
func (d Doc) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s\n\n**%s.** %s\n\n", d.Check, d.Title, d.Reports)
	if d.Details != "" {
		fmt.Fprintf(&b, "%s\n\n", d.Details)
	}
	fmt.Fprintf(&b, "Example:\n\n```go\n%s\n```\n\n", strings.TrimSpace(d.Example))
	fmt.Fprintf(&b, "reports\n\n```\n%s\n```\n\n", strings.TrimSpace(d.Report))
	fmt.Fprintf(&b, "How to fix: %s", d.Fix)
	if d.NoFix != "" {
		fmt.Fprintf(&b, " There is no automatic fix: %s.", d.NoFix)
	}
	fmt.Fprintf(&b, "\n\nHow to silence: %s\n", d.Silence())
	return b.String()
}

// Text renders the documentation for a terminal (-explain).
func (d Doc) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n\n%s\n\n", d.Check, d.Title, wrap(d.Reports))
	for _, p := range strings.Split(d.Details, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			fmt.Fprintf(&b, "%s\n\n", wrap(p))
		}
	}
	fmt.Fprintf(&b, "Example:\n\n%s\n\nreports\n\n%s\n\n", indent(d.Example), indent(d.Report))
	fix := d.Fix
	if d.NoFix != "" {
		fix += " There is no automatic fix: " + d.NoFix + "."
	}
	fmt.Fprintf(&b, "How to fix:\n%s\n\nHow to silence:\n%s\n", wrap(fix), wrap(d.Silence()))
	return b.String()
}

// wrap fills a paragraph to 78 columns, joining its lines.
func wrap(p string) string {
	var b strings.Builder
	col := 0
	for _, w := range strings.Fields(p) {
		if col > 0 && col+1+len(w) > 78 {
			b.WriteByte('\n')
			col = 0
		} else if col > 0 {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += len(w)
	}
	return b.String()
}

func indent(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "    " + l
		}
	}
	return strings.Join(lines, "\n")
}
