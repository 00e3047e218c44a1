package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// baselineVersion is the version of the baseline file format; it changes
// with the fingerprint (see fingerprintKey).
const baselineVersion = 1

// baseline is the file -write-baseline writes and -baseline reads: the
// findings a module had when it adopted lifecyclecheck, by fingerprint.
type baseline struct {
	Version  int             `json:"version"`
	Tool     string          `json:"tool"`
	Findings []baselineEntry `json:"findings"`
}

// baselineEntry is one fingerprint, with how many findings have it and,
// for the reader, what they are (without line numbers, so that the file
// does not change when lines move).
type baselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	Count       int    `json:"count"`
	Check       string `json:"check"`
	File        string `json:"file"`
	Function    string `json:"function,omitempty"`
	Message     string `json:"message"`
}

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
			Function:    f.function,
			Message:     stripPositions(f.diag.Message),
		}
	}
	b := baseline{Version: baselineVersion, Tool: "lifecyclecheck", Findings: []baselineEntry{}}
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
func readBaseline(path string) (baseline, error) {
	var b baseline
	data, err := os.ReadFile(path)
	if err != nil {
		return b, err
	}
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&b); err != nil {
		return b, fmt.Errorf("%s: not a lifecyclecheck baseline: %v", path, err)
	}
	if b.Version != baselineVersion {
		return b, fmt.Errorf("%s: baseline version %d: this lifecyclecheck reads version %d; write it again with -write-baseline", path, b.Version, baselineVersion)
	}
	return b, nil
}

// filter returns the findings the baseline does not hold. A fingerprint
// recorded n times hides the first n findings that have it, in position
// order: if the baseline has 2 and the code now has 3, one is reported.
func (b baseline) filter(findings []finding) []finding {
	left := map[string]int{}
	for _, e := range b.Findings {
		left[e.Fingerprint] += e.Count
	}
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
