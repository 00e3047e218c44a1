package analyzer

import (
	"fmt"
	"go/token"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// reporter turns defects into diagnostics: one per defect, positioned at
// the free (or the call leading to it, or the defer), silenced by
// //lifecycle:ignore on its line or the line above.
type reporter struct {
	pass    *analysis.Pass
	byFn    map[*ssa.Function][]keyedDiag // from each function's latest analysis
	ignores *ignores
}

// keyedDiag is a diagnostic with the identity of its defect: the free and
// the index, whatever objects the freed value may stand for.
type keyedDiag struct {
	key  string
	diag analysis.Diagnostic
}

func newReporter(pass *analysis.Pass, ign *ignores) *reporter {
	return &reporter{pass: pass, byFn: make(map[*ssa.Function][]keyedDiag), ignores: ign}
}

// forget drops fn's reports before it is analysed again.
func (r *reporter) forget(fn *ssa.Function) { delete(r.byFn, fn) }

func (r *reporter) defect(fe *fnEvents, f inFact, ev *event, deferAt token.Pos) {
	pos := ev.pos
	if deferAt.IsValid() {
		pos = deferAt
	}
	key := fmt.Sprintf("%d %s", pos, fe.indexes[f.idx])
	for _, kd := range r.byFn[fe.m.fn] {
		if kd.key == key {
			return
		}
	}
	idx := fe.indexName(f.idx)
	obj := fe.objName(ev)
	if obj == "" {
		obj = "object"
	}
	r.byFn[fe.m.fn] = append(r.byFn[fe.m.fn], keyedDiag{key, analysis.Diagnostic{
		Pos:            pos,
		Message:        fmt.Sprintf("%s freed by %s while still in index %s (%s); delete it from %s first", obj, fe.what(ev), idx, fe.insertedBy(f.site), idx),
		Related:        fe.witness(f, ev, pos),
		SuggestedFixes: fe.suggestedFix(f, ev, deferAt),
	}})
}

// insertedBy says how the object entered the index, as seen here.
func (fe *fnEvents) insertedBy(s *site) string {
	where := fe.env.src.where(s.ev.pos)
	switch {
	case s.read:
		return "read from it at " + where
	case s.ev.cs != nil:
		return fmt.Sprintf("inserted by %s at %s", fe.what(s.ev), where)
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
	rel = append(rel, stepsRelated(fe.steps(f.site.ev), f.site.ev.pos, "inserted")...)
	rel = append(rel, stepsRelated(fe.steps(ev), at, "freed")...)
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

// flush reports what was collected, in position order, and the ignores
// that silenced nothing.
func (r *reporter) flush() {
	var all []keyedDiag
	for _, kds := range r.byFn {
		all = append(all, kds...)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].key < all[j].key })
	var diags []analysis.Diagnostic
	for i, kd := range all {
		if (i > 0 && kd.key == all[i-1].key) || r.ignores.silence(kd.diag.Pos) {
			continue
		}
		diags = append(diags, kd.diag)
	}
	diags = append(diags, r.ignores.unused()...)
	sort.SliceStable(diags, func(i, j int) bool { return diags[i].Pos < diags[j].Pos })
	for _, d := range diags {
		r.pass.Report(d)
	}
}
