package report

import (
	"fmt"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/flow"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// The evidence-based checks (undo, partial, unregister) name in each
// report the code that shows the rule: the message says what it is
// ("the other 2 failing returns after its insert delete it"), Related
// points at it, after the insert.

// maxEvidence is the most pieces of evidence Related points at.
const maxEvidence = 4

// Undo: f.Obj, inserted at f.Site, stays in f.Idx where the failing return
// ret leaves; the failing returns after the deletes in agree took it out.
func (r *Reporter) Undo(fe *events.FnEvents, f flow.InFact, ret *ssa.Return, agree []flow.UndoRec) {
	v := fnView{fe, r}
	obj := fe.ObjName(f.Site.Ev)
	if obj == "" {
		obj = r.src.StoredText(f.Site.Ev.Pos)
	}
	idx := fe.IndexName(f.Idx)
	evidence := "the other failing return after its insert deletes it"
	if len(agree) > 1 {
		evidence = fmt.Sprintf("the other %d failing returns after its insert delete it", len(agree))
	}
	pos := ret.Pos()
	if !pos.IsValid() {
		return // an implicit return returns no error it made
	}
	msg := fmt.Sprintf("%s stays in %s when this path fails: %s; delete it before returning [%s]", obj, idx, evidence, rules.CheckUndo)
	related := v.insertPath(f)
	for i, a := range agree {
		if i == maxEvidence {
			break
		}
		related = append(related, analysis.RelatedInformation{Pos: a.Del.Pos, Message: "deleted from " + idx + " here on a failing path"})
	}
	r.plain(fe, rules.CheckUndo, pos, msg, related)
}

// plain records a finding whose message is written: one per check and
// position, the first kept.
func (r *Reporter) plain(fe *events.FnEvents, check string, pos token.Pos, msg string, related []analysis.RelatedInformation) {
	key := fmt.Sprintf("%s %d", check, pos)
	for _, fd := range r.byFn[fe.M.Fn] {
		if fd.key == key {
			return
		}
	}
	d := analysis.Diagnostic{Pos: pos, Category: check, Message: msg, Related: related}
	r.byFn[fe.M.Fn] = append(r.byFn[fe.M.Fn], &finding{check: check, key: key, pos: pos, written: &d})
}
