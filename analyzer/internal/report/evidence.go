package report

import (
	"fmt"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/checks"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
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
		obj = r.src.StoredText(f.Site.Ev.Pos, f.Site.Ev.Keyed && f.Site.Ev.MapKey == "")
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
	r.plain(fe.M.Fn, rules.CheckUndo, pos, msg, related)
}

// Partial: fn removes a subject from removed, first at rm, and leaves it
// in left, while ev removes it from all of them.
func (r *Reporter) Partial(fn *ssa.Function, rm events.Removal, removed, left []facts.IndexID, ev checks.Evidence) {
	name := r.src.ArgText(rm.Call, rm.Arg)
	if i := strings.LastIndex(name, "."); rm.Field && i > 0 {
		name = name[:i] // s.id names s
	}
	evidence := fmt.Sprintf("%s removes it from all %d", ev.From, len(ev.Group.Indexes))
	if ev.Declared {
		evidence = fmt.Sprintf("the rules file groups all %d", len(ev.Group.Indexes))
	}
	msg := fmt.Sprintf("%s removed from %s but left in %s: %s [%s]",
		name, nameList(removed), nameList(left), evidence, rules.CheckPartial)
	var related []analysis.RelatedInformation
	switch {
	case ev.Declared:
		// the rules file is no position of the package
	case ev.Pos.IsValid():
		related = append(related, analysis.RelatedInformation{Pos: ev.Pos, Message: fmt.Sprintf("%s removes it from %s here", ev.From, nameList(ev.Group.Indexes))})
	default:
		related = append(related, analysis.RelatedInformation{Pos: rm.Pos, Message: fmt.Sprintf("%s removes it from %s at %s", ev.From, nameList(ev.Group.Indexes), ev.Group.Where)})
	}
	r.plain(fn, rules.CheckPartial, rm.Pos, msg, related)
}

// nameList renders indexes as a list: A, B and C.
func nameList(ids []facts.IndexID) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = id.String()
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// plain records a finding whose message is written: one per check and
// position, the first kept.
func (r *Reporter) plain(fn *ssa.Function, check string, pos token.Pos, msg string, related []analysis.RelatedInformation) {
	key := fmt.Sprintf("%s %d", check, pos)
	for _, fd := range r.byFn[fn] {
		if fd.key == key {
			return
		}
	}
	d := analysis.Diagnostic{Pos: pos, Category: check, Message: msg, Related: related}
	r.byFn[fn] = append(r.byFn[fn], &finding{check: check, key: key, pos: pos, written: &d})
}

// Unregister: fn, reg's close method, does not remove what reg's
// constructor registered.
func (r *Reporter) Unregister(fn *ssa.Function, reg checks.Registration, skipped *ssa.Return) {
	ins := reg.Insert
	obj := "the " + reg.Type.Obj().Name()
	if ins.Object.Path != "" {
		obj = "its field " + strings.TrimPrefix(facts.PathSuffix(ins.Object.Path), ".")
	}
	var related []analysis.RelatedInformation
	if len(ins.Steps) > 0 {
		s := ins.Steps[0]
		switch {
		case s.Func == "" && s.Pos().IsValid():
			obj = r.src.StoredText(s.Pos(), ins.Keyed && ins.MapKey == "")
		case s.Pos().IsValid() && s.Arg() > 0:
			if t := r.src.CallArgText(s.Pos(), s.Arg()-1); t != "" {
				obj = t
			}
		}
		if s.Pos().IsValid() {
			related = append(related, analysis.RelatedInformation{Pos: s.Pos(), Message: fmt.Sprintf("registered in %s here", ins.Index)})
		}
	}
	idx := ins.Index.String()
	if ps := reg.Ctor.Signature().Params(); ins.Index.Kind == facts.ParamIndex && ins.Index.Pos < ps.Len() {
		idx = "the registry " + ps.At(ins.Index.Pos).Name()
	}
	ctor := reg.Ctor.Name()
	method := fn.RelString(r.pass.Pkg)
	how := reg.Close.Name() + " does not remove it"
	if skipped != nil {
		how = reg.Close.Name() + " returns without removing it on some path"
		if skipped.Pos().IsValid() {
			related = append(related, analysis.RelatedInformation{Pos: skipped.Pos(), Message: "returns here without removing it"})
		}
	}
	msg := fmt.Sprintf("%s leaves %s in %s: %s registers it there and %s [%s]",
		method, obj, idx, ctor, how, rules.CheckUnregister)
	r.plain(fn, rules.CheckUnregister, reg.Close.Pos(), msg, related)
}
