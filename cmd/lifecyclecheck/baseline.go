package main

import (
	"cmp"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"

	bl "github.com/lifecyclecheck/lifecyclecheck/internal/baseline"
)

// baseline is the file -write-baseline writes and -baseline reads.
type baseline = bl.File

// baselineEntry is one fingerprint of a baseline.
type baselineEntry = bl.Entry

// newBaseline records the findings, one entry per fingerprint, sorted.
func newBaseline(findings []finding) baseline {
	byFP := map[string]*baselineEntry{}
	for _, f := range findings {
		fp := fingerprint(f)
		if e := byFP[fp]; e != nil {
			e.Count++
			continue
		}
		byFP[fp] = &baselineEntry{
			Fingerprint: fp,
			Count:       1,
			Check:       f.check,
			File:        f.file,
			Function:    f.diag.Function,
			Message:     stripPositions(f.diag.Message),
		}
	}
	b := baseline{Version: bl.Version, Tool: "lifecyclecheck", Findings: []baselineEntry{}}
	for _, e := range byFP {
		b.Findings = append(b.Findings, *e)
	}
	slices.SortFunc(b.Findings, func(x, y baselineEntry) int {
		return cmp.Or(
			cmp.Compare(x.File, y.File),
			cmp.Compare(x.Function, y.Function),
			cmp.Compare(x.Check, y.Check),
			cmp.Compare(x.Message, y.Message),
			cmp.Compare(x.Fingerprint, y.Fingerprint),
		)
	})
	return b
}

// writeBaseline records the findings in the file at path, replacing it
// whole.
func writeBaseline(path string, findings []finding) error {
	data, err := json.MarshalIndent(newBaseline(findings), "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".lifecyclecheck-baseline-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// readBaseline reads the baseline file at path.
func readBaseline(path string) (baseline, error) { return bl.Read(path) }

// filter returns the findings the baseline does not hold. A fingerprint
// recorded n times hides the first n findings that have it, in position
// order: if the baseline has 2 and the code now has 3, one is reported.
func filterBaseline(b baseline, findings []finding) []finding {
	left := b.Counts()
	var out []finding
	for _, f := range findings {
		fp := fingerprint(f)
		if left[fp] > 0 {
			left[fp]--
			continue
		}
		out = append(out, f)
	}
	return out
}
