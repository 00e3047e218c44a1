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
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// report writes the findings in the format asked for and returns the exit
// status they call for: 3 for text findings, else 0.
func report(findings []finding, graph *checker.Graph, a *analysis.Analyzer, o options, s streams) int {
	var err error
	switch o.format {
	case formatJSON:
		err = writeJSON(s.out, findings, graph)
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
		printPlain(&b, f.fset, f.diag.Pos, f.diag.End, f.diag.Message, context)
		for _, rel := range f.diag.Related {
			printPlain(&b, f.fset, rel.Pos, rel.End, "\t"+rel.Message, context)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// printPlain prints one position and message, and the source lines around
// it when context >= 0.
func printPlain(b *strings.Builder, fset *token.FileSet, pos, end token.Pos, msg string, context int) {
	posn := fset.Position(pos)
	fmt.Fprintf(b, "%s: %s\n", posn, msg)
	if context < 0 {
		return
	}
	endPosn := fset.Position(end)
	if !endPosn.IsValid() {
		endPosn = posn
	}
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
// package that reported it, and the analysis errors of the root packages.
func writeJSON(w io.Writer, findings []finding, graph *checker.Graph) error {
	tree := map[string]map[string]any{}
	add := func(id, name string, v any) {
		if tree[id] == nil {
			tree[id] = map[string]any{}
		}
		tree[id][name] = v
	}
	for _, act := range graph.Roots {
		if act.Err != nil {
			add(act.Package.ID, act.Analyzer.Name, jsonError{rootError(act)})
		}
	}
	byPkg := map[string][]jsonDiagnostic{}
	for _, f := range findings {
		byPkg[f.pkgID] = append(byPkg[f.pkgID], jsonDiag(f))
	}
	for id, diags := range byPkg {
		add(id, "lifecyclecheck", diags)
	}
	data, err := json.MarshalIndent(tree, "", "\t")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}

// rootError says why a root package was not analysed: its first load
// error rather than the driver's "analysis skipped".
func rootError(act *checker.Action) string {
	if act.Package.IllTyped {
		var first string
		packages.Visit([]*packages.Package{act.Package}, nil, func(p *packages.Package) {
			if first == "" && len(p.Errors) > 0 {
				first = p.Errors[0].Error()
			}
		})
		return cmp.Or(first, act.Err.Error())
	}
	return act.Err.Error()
}

// jsonDiag converts a finding to the drivers' JSON form.
func jsonDiag(f finding) jsonDiagnostic {
	d := f.diag
	jd := jsonDiagnostic{
		Category: d.Category,
		Posn:     f.posn.String(),
		End:      f.end.String(),
		Message:  d.Message,
	}
	for _, fix := range d.SuggestedFixes {
		jf := jsonFix{Message: fix.Message}
		for _, e := range fix.TextEdits {
			jf.Edits = append(jf.Edits, jsonEdit{
				Filename: f.fset.Position(e.Pos).Filename,
				Start:    f.fset.Position(e.Pos).Offset,
				End:      f.fset.Position(e.End).Offset,
				New:      string(e.NewText),
			})
		}
		jd.SuggestedFixes = append(jd.SuggestedFixes, jf)
	}
	for _, r := range d.Related {
		jd.Related = append(jd.Related, jsonRelated{
			Posn:    f.fset.Position(r.Pos).String(),
			End:     f.fset.Position(cmp.Or(r.End, r.Pos)).String(),
			Message: r.Message,
		})
	}
	return jd
}
