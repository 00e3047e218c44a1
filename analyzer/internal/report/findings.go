package report

import (
	"cmp"
	"fmt"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/checks"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/flow"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// finding is one defect: an object whose life ends at pos while indexes
// still hold it.
type finding struct {
	check   string
	key     string // the check and position: one finding each
	pos     token.Pos
	obj     string     // p, r.px
	end     string     // freed by pool.Put, closed by c.Close
	typ     types.Type // the object's type, for delegation to its own cleanup
	entries []entry
	endPath []analysis.RelatedInformation
	written *analysis.Diagnostic // the whole report, for the evidence-based checks
	// retain, for a written closed report, is the index left holding the
	// object: a sweep of it, or the object's own cleanup, drops the
	// report as it drops the entries of the others.
	retain *facts.IndexID
	// holder, for a lost registration, is the object that dies with the
	// call: one report each.
	holder ssa.Value
	// noFix, for a written finding, says why it has no fix when the
	// check's general reason does not fit.
	noFix string
}

// entry is one index still holding the object.
type entry struct {
	idx      facts.IndexID
	name     string
	inserted string // inserted by G at file:line
	site     token.Pos
	path     []analysis.RelatedInformation
	fixes    []analysis.SuggestedFix
	noFix    string // why there is no fix, when fixes is empty
}

// add records that index f.idx still holds the object, once per index.
func (fd *finding) add(fe fnView, f flow.InFact, fixes []analysis.SuggestedFix, noFix string) {
	id := fe.Indexes[f.Idx]
	for _, e := range fd.entries {
		if e.idx == id {
			return
		}
	}
	fd.entries = append(fd.entries, entry{idx: id, name: fe.IndexName(f.Idx), inserted: fe.insertedBy(f.Site),
		site: f.Site.Ev.Pos, path: fe.insertPath(f), fixes: fixes, noFix: noFix})
}

// diagnostic renders the finding, or reports false when nothing is left
// of it.
func (fd *finding) diagnostic(delegated events.Delegations, swept map[facts.IndexID]bool) (analysis.Diagnostic, bool) {
	if fd.written != nil {
		if id := fd.retain; id != nil && (swept[*id] || checks.CleanedUp(delegated, fd.typ, *id)) {
			return analysis.Diagnostic{}, false
		}
		d := *fd.written
		d.Related = slices.Clone(d.Related)
		withNoFix(&d, cmp.Or(fd.noFix, checks.NoFixOf(fd.check)))
		return d, true
	}
	var es []entry
	for _, e := range fd.entries {
		if fd.check == rules.CheckClosed && checks.CleanedUp(delegated, fd.typ, e.idx) {
			continue // the object's goroutine or close callback deletes it
		}
		if fd.check == rules.CheckClosed && swept[e.idx] {
			continue // kept until a sweep removes what expired
		}
		es = append(es, e)
	}
	if len(es) == 0 {
		return analysis.Diagnostic{}, false
	}
	sort.SliceStable(es, func(i, j int) bool { return es[i].site < es[j].site })
	d := analysis.Diagnostic{Pos: fd.pos, Category: fd.check, Message: fd.message(es)}
	for _, e := range es {
		d.Related = append(d.Related, e.path...)
	}
	d.Related = append(d.Related, fd.endPath...)
	if len(es) == 1 {
		d.SuggestedFixes = es[0].fixes
	}
	withNoFix(&d, noFixReason(fd.check, es))
	return d, true
}

// noFixReason says why a finding has no fix: the freed check's own
// reason, or why the other checks offer none.
func noFixReason(check string, es []entry) string {
	switch {
	case check != rules.CheckFreed:
		return checks.NoFixOf(check)
	case len(es) > 1:
		return "the object is in several indexes: delete it from each"
	case len(es[0].fixes) == 0:
		return es[0].noFix
	}
	return ""
}

// withNoFix adds, to a diagnostic without a fix, why: as the last related
// position, at the diagnostic itself, so that text, JSON and SARIF show it.
func withNoFix(d *analysis.Diagnostic, why string) {
	if len(d.SuggestedFixes) > 0 || why == "" {
		return
	}
	d.Related = append(d.Related, analysis.RelatedInformation{Pos: d.Pos, Message: "no automatic fix: " + why})
}

// maxListed is the most indexes a message names; Related lists them all.
const maxListed = 5

// message is one line: the object, how its life ended, the indexes still
// holding it and how each got it, and what to do.
func (fd *finding) message(es []entry) string {
	first := ""
	if fd.check == rules.CheckFreed {
		first = " first"
	}
	if len(es) == 1 {
		e := es[0]
		return fmt.Sprintf("%s %s while still in index %s (%s); delete it from %s%s [%s]",
			fd.obj, fd.end, e.name, e.inserted, e.name, first, fd.check)
	}
	shown := es
	if len(es) > maxListed {
		shown = es[:maxListed-1]
	}
	names := make([]string, len(shown))
	how := make([]string, len(shown))
	for i, e := range shown {
		names[i] = e.name
		how[i] = e.name + ": " + e.inserted
	}
	list := strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	if len(shown) < len(es) {
		list = fmt.Sprintf("%s and %d more", strings.Join(names, ", "), len(es)-len(shown))
	}
	return fmt.Sprintf("%s %s while still in indexes %s (%s); delete it from each%s [%s]",
		fd.obj, fd.end, list, strings.Join(how, "; "), first, fd.check)
}

// insertedBy says how the object entered the index, as seen here.
func (fe fnView) insertedBy(s *flow.Site) string {
	where := fe.env.src.Where(s.Ev.Pos)
	switch {
	case s.Read:
		return "read from it at " + where
	case s.Ev.CS != nil:
		return fmt.Sprintf("inserted by %s at %s", fe.What(s.Ev), where)
	}
	return "inserted at " + where
}

// insertPath is the way the object went into the index: the insert, then
// each call it came through.
func (fe fnView) insertPath(f flow.InFact) []analysis.RelatedInformation {
	idx := fe.IndexName(f.Idx)
	verb := "inserted into"
	if f.Site.Read {
		verb = "read from"
	}
	rel := []analysis.RelatedInformation{{Pos: f.Site.Ev.Pos, Message: fmt.Sprintf("%s %s here", verb, idx)}}
	return append(rel, stepsRelated(fe.env.src, fe.Steps(f.Site.Ev), f.Site.Ev.Pos, "inserted")...)
}

// stepsRelated points at each call below the first (which is the reported
// function's own call), in this package or, through the position its
// facts carry, in another; a step with no position is named in the
// message, at fallback.
func stepsRelated(si *SourceIndex, steps []facts.Step, fallback token.Pos, verb string) []analysis.RelatedInformation {
	var rel []analysis.RelatedInformation
	for i := 1; i < len(steps); i++ {
		s := steps[i]
		pos := si.StepPos(s)
		msg := fmt.Sprintf("%s through %s", verb, s.Func)
		if s.Func == "" {
			msg = verb + " here"
		}
		if !pos.IsValid() {
			pos = fallback
			msg += " at " + s.Where
		}
		rel = append(rel, analysis.RelatedInformation{Pos: pos, Message: msg})
	}
	return rel
}

// retainable marks the written finding of fn at pos as one that a sweep
// of idx, or the cleanup of an object of type t, makes moot.
func (r *Reporter) retainable(fn *ssa.Function, pos token.Pos, idx facts.IndexID, t types.Type) {
	for _, fd := range r.byFn[fn] {
		if fd.pos == pos && fd.written != nil && fd.retain == nil {
			fd.retain, fd.typ = &idx, t
		}
	}
}
