package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"go/token"
	"io"
	"os"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/lifecyclecheck/lifecyclecheck/internal/driver"
)

// report writes the findings in the format asked for and returns the exit
// status they call for: 3 for text findings, else 0.
func report(findings []finding, roots []*driver.Package, a *analysis.Analyzer, o options, s streams) int {
	var err error
	switch o.format {
	case formatJSON:
		err = writeJSON(s.out, findings, roots, a.Name)
	case formatSARIF:
		err = writeSARIF(s.out, findings, o.dir)
	default:
		err = writeText(s.errs, findings, o.context)
		if err == nil && len(findings) > 0 {
			return 3
		}
	}
	if err != nil {
		fmt.Fprintf(s.errs, "%s: %v\n", a.Name, err)
		return 1
	}
	return 0
}

// writeText prints each finding as go/analysis drivers do: the position
// and message, then each related position indented; with context >= 0,
// the lines around each.
func writeText(w io.Writer, findings []finding, context int) error {
	var b strings.Builder
	for _, f := range findings {
		printPlain(&b, f.diag.Posn, f.diag.End, f.diag.Message, context)
		for _, rel := range f.diag.Related {
			printPlain(&b, rel.Posn, rel.End, "\t"+rel.Message, context)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// printPlain prints one position and message, and the source lines around
// it (to its end, if valid) when context >= 0.
func printPlain(b *strings.Builder, posn, end token.Position, msg string, context int) {
	fmt.Fprintf(b, "%s: %s\n", posn, msg)
	if context < 0 {
		return
	}
	endPosn := endOr(end, posn)
	data, _ := os.ReadFile(posn.Filename)
	lines := strings.Split(string(data), "\n")
	for i := posn.Line - context; i <= endPosn.Line+context; i++ {
		if 1 <= i && i <= len(lines) {
			fmt.Fprintf(b, "%d\t%s\n", i, lines[i-1])
		}
	}
}

// The JSON output is the go/analysis drivers' (-json): a tree from
// package ID to analyzer name to the diagnostics or an error.
type (
	jsonDiagnostic struct {
		Category       string        `json:"category,omitempty"`
		Posn           string        `json:"posn"`
		End            string        `json:"end"`
		Message        string        `json:"message"`
		SuggestedFixes []jsonFix     `json:"suggested_fixes,omitempty"`
		Related        []jsonRelated `json:"related,omitempty"`
	}
	jsonFix struct {
		Message string     `json:"message"`
		Edits   []jsonEdit `json:"edits"`
	}
	jsonEdit struct {
		Filename string `json:"filename"`
		Start    int    `json:"start"`
		End      int    `json:"end"`
		New      string `json:"new"`
	}
	jsonRelated struct {
		Posn    string `json:"posn"`
		End     string `json:"end"`
		Message string `json:"message"`
	}
	jsonError struct {
		Err string `json:"error"`
	}
)

// writeJSON prints the findings as the -json tree, each under the first
// package that reported it, and the analysis errors of the root packages,
// all under the analyzer's name.
func writeJSON(w io.Writer, findings []finding, roots []*driver.Package, name string) error {
	tree := map[string]map[string]any{}
	add := func(id, name string, v any) {
		if tree[id] == nil {
			tree[id] = map[string]any{}
		}
		tree[id][name] = v
	}
	for _, p := range roots {
		if p.Err != nil {
			add(p.ID, name, jsonError{rootError(p)})
		}
	}
	byPkg := map[string][]jsonDiagnostic{}
	for _, f := range findings {
		byPkg[f.pkgID] = append(byPkg[f.pkgID], jsonDiag(f))
	}
	for id, diags := range byPkg {
		add(id, name, diags)
	}
	data, err := json.MarshalIndent(tree, "", "\t")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}

// rootError says why a root package was not analysed: the first load
// error of it and its imports (dependencies first), rather than the
// driver's "analysis skipped", when there is one; else its Err.
func rootError(pkg *driver.Package) string {
	var first string
	visit([]*driver.Package{pkg}, func(p *driver.Package) {
		if first == "" && len(p.Errors) > 0 {
			first = p.Errors[0].Error()
		}
	})
	return cmp.Or(first, pkg.Err.Error())
}

// jsonDiag converts a finding to the drivers' JSON form.
func jsonDiag(f finding) jsonDiagnostic {
	d := f.diag
	jd := jsonDiagnostic{
		Category: d.Category,
		Posn:     d.Posn.String(),
		End:      f.end().String(),
		Message:  d.Message,
	}
	for _, fix := range d.Fixes {
		jf := jsonFix{Message: fix.Message}
		for _, e := range fix.Edits {
			jf.Edits = append(jf.Edits, jsonEdit{
				Filename: e.Start.Filename,
				Start:    e.Start.Offset,
				End:      e.End.Offset,
				New:      e.New,
			})
		}
		jd.SuggestedFixes = append(jd.SuggestedFixes, jf)
	}
	for _, r := range d.Related {
		jd.Related = append(jd.Related, jsonRelated{
			Posn:    r.Posn.String(),
			End:     endOr(r.End, r.Posn).String(),
			Message: r.Message,
		})
	}
	return jd
}
