// Package report writes what the checks conclude as the user reads it:
// one diagnostic per defect (per check and position), at the end of life
// or the call, defer or go statement that leads to it, naming every index
// that still holds the object and how it got there, with the insert and
// the calls it came through in Related, in order (findings.go), and a
// suggested fix where the insert's delete can be placed before the free:
// the map's or sync.Map's delete (fixes.go), an intrusive node's unlink
// method (nodefix.go), or another package's exported remover
// (crossfix.go). A SourceIndex reads the syntax behind SSA positions, so
// that messages name objects and calls as written (source.go);
// //lifecycle:ignore directives silence reports, and an unused one is
// reported (ignores.go). The drivers render the diagnostics in each
// output format (text, -json, SARIF) from the same fields.
package report

import (
	"fmt"
	"go/token"
	"go/types"
	"maps"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/flow"
	"github.com/lifecyclecheck/lifecyclecheck/internal/baseline"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// Reporter turns defects into diagnostics: one per defect, positioned at
// the end of life (or the call leading to it, or the defer, or the go
// statement), listing every index that still holds the object, silenced
// by //lifecycle:ignore on its line or the line above.
type Reporter struct {
	pass      *analysis.Pass
	byFn      map[*ssa.Function][]*finding // from each function's latest analysis
	ignores   *Ignores
	checks    rules.CheckSet
	delegated events.Delegations
	src       *SourceIndex
	lookup    Lookup
	excluded  func(filename string) bool // nil: no file is
	swept     map[facts.IndexID]bool     // indexes that keep closed objects until a sweep
	baseline  map[string]int             // findings a baseline holds, left to count off
	root      string                     // the module root the baseline's file names are relative to
}

// Retained names the indexes the package sweeps (a loop that deletes
// what expired): they keep closed objects on purpose until then (a
// persistent session), so closing one of their objects is not reported.
func (r *Reporter) Retained(swept map[facts.IndexID]bool) { r.swept = swept }

// Baseline leaves out the findings a baseline holds (by fingerprint, a
// count each; nil: none).
func (r *Reporter) Baseline(counts map[string]int, root string) {
	r.baseline, r.root = maps.Clone(counts), root
}

// inBaseline reports whether the baseline holds d, and counts it off.
func (r *Reporter) inBaseline(d analysis.Diagnostic) bool {
	if len(r.baseline) == 0 {
		return false
	}
	file := r.moduleRelative(r.pass.Fset.Position(d.Pos).Filename)
	fp := baseline.Fingerprint(d.Category, file, baseline.EnclosingFunc(r.pass.Files, d.Pos), d.Message)
	if r.baseline[fp] > 0 {
		r.baseline[fp]--
		return true
	}
	return false
}

// moduleRelative returns filename as baselines name it: relative to the
// module root, with slashes; outside it, the package path and the file's
// base name (as the standalone command does).
func (r *Reporter) moduleRelative(filename string) string {
	if rel, err := filepath.Rel(r.root, filename); r.root != "" && err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(rel)
	}
	return path.Join(r.pass.Pkg.Path(), filepath.Base(filename))
}

// Exclude leaves out the findings in the files excluded says.
func (r *Reporter) Exclude(excluded func(filename string) bool) { r.excluded = excluded }

// Lookup is what fixes need of the pass's summaries.
type Lookup interface {
	// FuncSummary returns the summary of a declared function or method, or nil.
	FuncSummary(obj *types.Func) *facts.Summary
	// Unlinker returns a method of the node type ptrType (a pointer) that
	// deletes its receiver from whatever index holds it, or nil.
	Unlinker(ptrType string) *types.Func
}

// New returns the reporter of a pass: src reads its syntax,
// lookup its summaries; ign are its ignore directives, checks the checks
// that report, delegated the cleanups its objects delegate (complete when
// Flush is called).
func New(pass *analysis.Pass, src *SourceIndex, lookup Lookup, ign *Ignores, checks rules.CheckSet, delegated events.Delegations) *Reporter {
	return &Reporter{pass: pass, byFn: make(map[*ssa.Function][]*finding), ignores: ign, checks: checks, delegated: delegated, src: src, lookup: lookup}
}

// fnView is a function's events as the reporter reads them: with the
// pass at hand, to name what they speak of and to place fixes.
type fnView struct {
	*events.FnEvents
	env *Reporter
}

// Forget drops fn's reports before it is analysed again.
func (r *Reporter) Forget(fn *ssa.Function) { delete(r.byFn, fn) }

// Freed: f.obj is freed by ev while still in f.idx.
func (r *Reporter) Freed(fe *events.FnEvents, f flow.InFact, ev *events.Event, deferAt token.Pos) {
	pos, verb := ev.Pos, "freed by "
	if deferAt.IsValid() {
		pos = deferAt
	}
	fd := r.find(fe, rules.CheckFreed, pos, ev, verb)
	v := fnView{fe, r}
	fixes, why := v.suggestedFix(f, ev, deferAt)
	fd.add(v, f, fixes, why)
}

// Closed: f.obj, closed by c, is still in f.idx where the path
// leaves the function (or where a goroutine closing it starts).
func (r *Reporter) Closed(fe *events.FnEvents, f flow.InFact, c flow.CloseRec) {
	pos, verb := c.Ev.Pos, "closed by "
	switch {
	case c.DeferAt.IsValid():
		pos = c.DeferAt
	case c.Ev.Spawned:
		verb = "closed by the goroutine of "
	}
	fd := r.find(fe, rules.CheckClosed, pos, c.Ev, verb)
	if fd.typ == nil {
		fd.typ = c.Ev.ObjType()
	}
	fd.add(fnView{fe, r}, f, nil, "")
}

// find returns the finding of check at pos in fe's function, made on
// first use.
func (r *Reporter) find(fe *events.FnEvents, check string, pos token.Pos, ev *events.Event, verb string) *finding {
	key := fmt.Sprintf("%s %d", check, pos)
	for _, fd := range r.byFn[fe.M.Fn] {
		if fd.key == key {
			return fd
		}
	}
	obj := fe.ObjName(ev)
	if obj == "" {
		obj = "object"
	}
	what := strings.TrimSpace(verb + fe.What(ev))
	fd := &finding{check: check, key: key, pos: pos, obj: obj, end: what,
		endPath: stepsRelated(r.src, fe.Steps(ev), pos, strings.Fields(verb)[0])}
	r.byFn[fe.M.Fn] = append(r.byFn[fe.M.Fn], fd)
	return fd
}

// Flush reports what was collected, in position order, and the ignores
// that silenced nothing.
func (r *Reporter) Flush() {
	var all []*finding
	for _, fds := range r.byFn {
		all = append(all, fds...)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].key < all[j].key })
	var diags []analysis.Diagnostic
	for i, fd := range all {
		if (i > 0 && fd.key == all[i-1].key) || !r.checks.Has(fd.check) {
			continue
		}
		d, ok := fd.diagnostic(r.delegated, r.swept)
		if !ok || r.ignores.silence(d.Pos) || r.excluded != nil && r.excluded(r.pass.Fset.Position(d.Pos).Filename) {
			continue
		}
		diags = append(diags, d)
	}
	diags = append(diags, r.ignores.unused()...)
	sort.SliceStable(diags, func(i, j int) bool { return diags[i].Pos < diags[j].Pos })
	for _, d := range diags {
		if !r.inBaseline(d) {
			r.pass.Report(d)
		}
	}
}
