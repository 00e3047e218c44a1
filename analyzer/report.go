package analyzer

import (
	"fmt"
	"go/token"
	"sort"

	"golang.org/x/tools/go/analysis"
)

// reporter turns defects into diagnostics: one per defect, positioned at
// the free (or the call leading to it, or the defer), silenced by
// //lifecycle:ignore on its line or the line above.
type reporter struct {
	pass    *analysis.Pass
	seen    map[string]bool
	diags   []analysis.Diagnostic
	ignores *ignores
}

func newReporter(pass *analysis.Pass, ign *ignores) *reporter {
	return &reporter{pass: pass, seen: make(map[string]bool), ignores: ign}
}

func (r *reporter) defect(fe *fnEvents, f inFact, ev *event, deferAt token.Pos) {
	pos := ev.pos
	if deferAt.IsValid() {
		pos = deferAt
	}
	key := fmt.Sprintf("%d %s", pos, fe.indexes[f.idx]) // one report per free and index, whatever objects the freed value may be
	if r.seen[key] {
		return
	}
	r.seen[key] = true
	if r.ignores.silence(pos) {
		return
	}
	idx := fe.indexName(f.idx)
	obj := ev.objName
	if obj == "" {
		obj = "object"
	}
	r.diags = append(r.diags, analysis.Diagnostic{
		Pos:            pos,
		Message:        fmt.Sprintf("%s freed by %s while still in index %s (%s); delete it from %s first", obj, ev.what, idx, fe.insertedBy(f.site), idx),
		Related:        fe.witness(f, ev, pos),
		SuggestedFixes: fe.suggestedFix(f, ev, deferAt),
	})
}

// insertedBy says how the object entered the index, as seen here.
func (fe *fnEvents) insertedBy(s *site) string {
	where := fe.env.src.where(s.ev.pos)
	switch {
	case s.read:
		return "read from it at " + where
	case len(s.ev.steps) > 0:
		return fmt.Sprintf("inserted by %s at %s", s.ev.steps[0].Func, where)
	case s.ev.what != "":
		return fmt.Sprintf("inserted by %s at %s", s.ev.what, where)
	}
	return "inserted at " + where
}

// witness is the path from the insert to the free: the insert, each call
// it came through, then each call on the way down to the free.
func (fe *fnEvents) witness(f inFact, ev *event, at token.Pos) []analysis.RelatedInformation {
	idx := fe.indexName(f.idx)
	verb := "inserted into"
	if f.site.read {
		verb = "read from"
	}
	rel := []analysis.RelatedInformation{{Pos: f.site.ev.pos, Message: fmt.Sprintf("%s %s here", verb, idx)}}
	rel = append(rel, stepsRelated(f.site.ev.steps, f.site.ev.pos, "inserted")...)
	rel = append(rel, stepsRelated(ev.steps, at, "freed")...)
	return rel
}

// stepsRelated points at each call below the first (which is the reported
// function's own call); steps in other packages are named in the message.
func stepsRelated(steps []Step, fallback token.Pos, verb string) []analysis.RelatedInformation {
	var rel []analysis.RelatedInformation
	for i := 1; i < len(steps); i++ {
		s := steps[i]
		pos := s.pos
		msg := fmt.Sprintf("%s through %s", verb, s.Func)
		if !pos.IsValid() {
			pos = fallback
			msg += " at " + s.Where
		}
		rel = append(rel, analysis.RelatedInformation{Pos: pos, Message: msg})
	}
	return rel
}

// flush reports what was collected, in position order, and the ignores
// that silenced nothing.
func (r *reporter) flush() {
	r.diags = append(r.diags, r.ignores.unused()...)
	sort.SliceStable(r.diags, func(i, j int) bool { return r.diags[i].Pos < r.diags[j].Pos })
	for _, d := range r.diags {
		r.pass.Report(d)
	}
}
