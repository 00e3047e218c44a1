package report

import (
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/checks"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/flow"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
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

// UndoSiblings: f.Obj stays in f.Idx where the failing return ret leaves,
// while the functions of others take back what they put there when they
// fail.
func (r *Reporter) UndoSiblings(fe *events.FnEvents, f flow.InFact, ret *ssa.Return, others []checks.SiblingEvidence) {
	pos := ret.Pos()
	if !pos.IsValid() {
		return
	}
	v := fnView{fe, r}
	obj, idx := r.insertedName(fe, f.Site.Ev), fe.IndexName(f.Idx)
	names := make([]string, 0, len(others))
	related := v.insertPath(f)
	for i, o := range others {
		names = append(names, o.Fn.RelString(o.Fn.Pkg.Pkg))
		if i < maxEvidence {
			related = append(related, analysis.RelatedInformation{Pos: o.Del.Pos, Message: o.Fn.Name() + " deletes what it put in " + idx + " here when it fails"})
		}
	}
	evidence := names[0] + " deletes what it puts there when it fails"
	if len(names) > 1 {
		evidence = andList(names) + " delete what they put there when they fail"
	}
	msg := fmt.Sprintf("%s stays in %s when this path fails: %s; delete it before returning [%s]", obj, idx, evidence, rules.CheckUndo)
	r.plain(fe.M.Fn, rules.CheckUndo, pos, msg, related)
}

// UndoScoped: f.Obj stays in f.Idx where the failing return ret leaves,
// while the returns that do not fail delete it first (del).
func (r *Reporter) UndoScoped(fe *events.FnEvents, f flow.InFact, ret *ssa.Return, del *events.Event) {
	pos := ret.Pos()
	if !pos.IsValid() {
		return
	}
	v := fnView{fe, r}
	obj, idx := r.insertedName(fe, f.Site.Ev), fe.IndexName(f.Idx)
	msg := fmt.Sprintf("%s stays in %s when this path fails: the successful return deletes it first (at %s), so it lives as long as the call; "+
		"delete it before returning here too, or defer the delete right after the insert [%s]", obj, idx, r.src.Where(del.Pos), rules.CheckUndo)
	related := append(v.insertPath(f), analysis.RelatedInformation{Pos: del.Pos, Message: "deleted from " + idx + " here before the successful return"})
	r.plain(fe.M.Fn, rules.CheckUndo, pos, msg, related)
}

// UndoHandedOut: f.Obj, made here, stays in f.Idx where the failing
// return ret drops it, while the return out hands it to the caller.
func (r *Reporter) UndoHandedOut(fe *events.FnEvents, f flow.InFact, ret, out *ssa.Return) {
	pos := ret.Pos()
	if !pos.IsValid() {
		return
	}
	v := fnView{fe, r}
	obj, idx := r.insertedName(fe, f.Site.Ev), fe.IndexName(f.Idx)
	msg := fmt.Sprintf("%s stays in %s when this path fails: the successful return at %s hands it to the caller, who closes it, "+
		"and this one drops it; delete it from %s (or close it) before returning [%s]", obj, idx, r.src.Where(out.Pos()), idx, rules.CheckUndo)
	related := append(v.insertPath(f), analysis.RelatedInformation{Pos: out.Pos(), Message: "handed to the caller here"})
	r.plain(fe.M.Fn, rules.CheckUndo, pos, msg, related)
}

// Dropped: obj, put in its index by ins, is handed over to ch by the
// non-blocking select sel, whose default branch drops it.
func (r *Reporter) Dropped(fe *events.FnEvents, ins *events.Event, obj int, sel *ssa.Select, ch ssa.Value) {
	v := fnView{fe, r}
	f := flow.InFact{Obj: obj, Idx: ins.Idx, Site: &flow.Site{Ev: ins}}
	name, idx := r.insertedName(fe, ins), fe.IndexName(ins.Idx)
	msg := fmt.Sprintf("%s dropped by the select's default while still in index %s (inserted at %s): the other case hands it over to %s; "+
		"delete it from %s (or close it) on the default branch, or hand it over without a default [%s]",
		name, idx, r.src.Where(ins.Pos), chanName(ch), idx, rules.CheckUndo)
	r.plain(fe.M.Fn, rules.CheckUndo, sel.Pos(), msg, v.insertPath(f))
}

// Served: obj, a channel registered by ins, is read only by the
// goroutine g starts, and stays registered when it returns.
func (r *Reporter) Served(fe *events.FnEvents, ins *events.Event, obj int, g *ssa.Go, name string) {
	v := fnView{fe, r}
	f := flow.InFact{Obj: obj, Idx: ins.Idx, Site: &flow.Site{Ev: ins}}
	idx := fe.IndexName(ins.Idx)
	how := "inserted"
	if ins.Learned {
		how = "registered by " + fe.What(ins)
	}
	msg := fmt.Sprintf("%s stays in %s after the goroutine that reads it returns (%s at %s); delete it from %s when that goroutine is done with it [%s]",
		name, idx, how, r.src.Where(ins.Pos), idx, rules.CheckClosed)
	related := append(v.insertPath(f), analysis.RelatedInformation{Pos: g.Pos(), Message: "the goroutine that reads it starts here"})
	r.plain(fe.M.Fn, rules.CheckClosed, g.Pos(), msg, related)
}

// insertedName names what ins put in its index, as the user reads it:
// the argument, or the text stored.
func (r *Reporter) insertedName(fe *events.FnEvents, ins *events.Event) string {
	if name := fe.ObjName(ins); name != "" {
		return name
	}
	return r.src.StoredText(ins.Pos, ins.Keyed && ins.MapKey == "")
}

// chanName names a channel as the user reads it: its field or variable.
func chanName(ch ssa.Value) string {
	if ld, ok := ch.(*ssa.UnOp); ok && ld.Op == token.MUL {
		if fa, ok := ld.X.(*ssa.FieldAddr); ok {
			name := model.FieldName(fa.X, fa.Field)
			return name[strings.LastIndex(name, ".")+1:]
		}
		ch = ld.X
	}
	return ch.Name()
}

// Partial: fn removes a subject from removed, first at rm, and leaves it
// in left, while ev removes it from all of them.
func (r *Reporter) Partial(fn *ssa.Function, rm events.Removal, removed, left []facts.IndexID, ev checks.Evidence) {
	name := r.src.ArgText(rm.Call, rm.Arg)
	if i := strings.LastIndex(name, "."); rm.Field && i > 0 {
		name = name[:i] // s.id names s
	}
	evidence := fmt.Sprintf("%s removes it from all %d", ev.From, len(ev.Group.Indexes))
	if ev.Inserted {
		evidence = fmt.Sprintf("%s puts it in all %d", ev.From, len(ev.Group.Indexes))
	}
	if ev.Declared {
		evidence = fmt.Sprintf("the rules file groups all %d", len(ev.Group.Indexes))
	}
	msg := fmt.Sprintf("%s removed from %s but left in %s: %s [%s]",
		name, nameList(removed), nameList(left), evidence, rules.CheckPartial)
	var related []analysis.RelatedInformation
	switch {
	case ev.Declared:
		// the rules file is no position of the package
	case ev.Pos.IsValid() && ev.Inserted:
		related = append(related, analysis.RelatedInformation{Pos: ev.Pos, Message: fmt.Sprintf("%s puts it in %s here", ev.From, nameList(ev.Group.Indexes))})
	case ev.Pos.IsValid():
		related = append(related, analysis.RelatedInformation{Pos: ev.Pos, Message: fmt.Sprintf("%s removes it from %s here", ev.From, nameList(ev.Group.Indexes))})
	default:
		related = append(related, analysis.RelatedInformation{Pos: rm.Pos, Message: fmt.Sprintf("%s removes it from %s at %s", ev.From, nameList(ev.Group.Indexes), ev.Group.Where)})
	}
	r.plain(fn, rules.CheckPartial, rm.Pos, msg, related)
}

// Inverse: fn removes pairs from rm.Idx and leaves them in other, which
// holds the same relation the other way round (p), while agree remove
// them from both.
func (r *Reporter) Inverse(fn *ssa.Function, rm events.RelRemoval, other facts.IndexID, p checks.RelPair, agree []*ssa.Function) {
	names := make([]string, len(agree))
	for i, f := range agree {
		names[i] = f.RelString(fn.Pkg.Pkg)
	}
	what := r.src.ArgText(rm.Call, 1)
	verb := "removes"
	if len(names) > 1 {
		verb = "remove"
	}
	msg := fmt.Sprintf("%s removed from %s but left in %s, which holds the same pairs the other way round, as %s stores them: %s %s them from both [%s]",
		what, rm.Idx, other, p.From.RelString(fn.Pkg.Pkg), andList(names), verb, rules.CheckPartial)
	related := []analysis.RelatedInformation{{Pos: p.Pos, Message: fmt.Sprintf("%s stores the pair in %s and %s", p.From.Name(), p.A, p.B)}}
	for i, f := range agree {
		if i == maxEvidence {
			break
		}
		related = append(related, analysis.RelatedInformation{Pos: f.Pos(), Message: f.Name() + " removes the pairs from both"})
	}
	r.plain(fn, rules.CheckPartial, rm.Pos, msg, related)
}

// Replaced: st stores a new entry of st.M1 under a key that may hold one,
// and leaves the old entry's attribute in st.M2, while agree remove an
// entry and its reverse entry together.
func (r *Reporter) Replaced(fn *ssa.Function, st events.RevStore, agree []*ssa.Function) {
	names := make([]string, len(agree))
	for i, f := range agree {
		names[i] = f.RelString(fn.Pkg.Pkg)
	}
	verb := "removes"
	if len(names) > 1 {
		verb = "remove"
	}
	field := fieldName(st.Store.Value.Type(), st.Field)
	msg := fmt.Sprintf("storing in %s replaces the entry the key may hold, and leaves the old entry's %s in %s: %s %s an entry from both; "+
		"look the old entry up and delete its %s from %s first [%s]",
		st.M1, field, st.M2, andList(names), verb, field, st.M2, rules.CheckPartial)
	var related []analysis.RelatedInformation
	for i, f := range agree {
		if i == maxEvidence {
			break
		}
		related = append(related, analysis.RelatedInformation{Pos: f.Pos(), Message: f.Name() + " removes an entry from " + st.M1.String() + " and " + st.M2.String()})
	}
	r.plain(fn, rules.CheckPartial, st.Store.Pos(), msg, related)
}

// fieldName names field i of struct type t (or of what t points to).
func fieldName(t types.Type, i int) string {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if s, ok := t.Underlying().(*types.Struct); ok && i < s.NumFields() {
		return s.Field(i).Name()
	}
	return fmt.Sprintf("field %d", i)
}

// nameList renders indexes as a list: A, B and C.
func nameList(ids []facts.IndexID) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = id.String()
	}
	return andList(names)
}

// andList joins names as a sentence does: a, b and c.
func andList(names []string) string {
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

// StaleKey: cc's close clears the field rm reads the object's keys from,
// and rm runs in fn after the close sig (through call, when not nil).
func (r *Reporter) StaleKey(cc *events.CloseClears, rm events.KeyRemoval, fn *ssa.Function, sig events.CloseSignal, call *ssa.Call) {
	clear := cc.Cleared[rm.From.Field]
	recv := "the " + rm.From.Type.Obj().Name()
	if len(cc.Fn.Params) > 0 && cc.Fn.Params[0].Name() != "" {
		recv = cc.Fn.Params[0].Name()
	}
	what := "the key"
	if rm.From.Elems {
		what = "the keys"
	}
	after := sig.Instr.Pos()
	if call != nil {
		after = call.Pos()
	}
	pkg := cc.Fn.Pkg.Pkg
	msg := fmt.Sprintf("%s.%s cleared by %s, but %s reads %s of %s from it after the close (at %s): it removes nothing, and the closed %s stays in %s; "+
		"clear it after the object has left %s, or remove the object first [%s]",
		recv, rm.From.Field.Name(), cc.Fn.RelString(pkg), fn.RelString(pkg), what, rm.Idx, r.src.Where(after),
		rm.From.Type.Obj().Name(), rm.Idx, rm.Idx, rules.CheckClosed)
	related := []analysis.RelatedInformation{
		{Pos: rm.Call.Pos(), Message: fmt.Sprintf("deleted from %s by %s read from %s here", rm.Idx, what, rm.From.Field.Name())},
		{Pos: sig.Instr.Pos(), Message: closeSignalText(sig)},
	}
	if call != nil {
		related = append(related, analysis.RelatedInformation{Pos: call.Pos(), Message: "the removal runs after the close here"})
	}
	r.plain(cc.Fn, rules.CheckClosed, clear.Pos(), msg, related)
}

// closeSignalText says what a close signal is, for related information.
func closeSignalText(sig events.CloseSignal) string {
	if _, ok := sig.Instr.(*ssa.UnOp); ok {
		return "waits for the close here"
	}
	return "closed here"
}

// Skipped: f.Obj, which the function deletes from f.Idx on other paths
// (first at f.Site.Ev), is closed by c and left there on this one.
func (r *Reporter) Skipped(fe *events.FnEvents, f flow.InFact, c flow.CloseRec) {
	pos := c.Ev.Pos
	if c.DeferAt.IsValid() {
		pos = c.DeferAt
	}
	obj := fe.ObjName(c.Ev)
	if obj == "" {
		obj = "the object"
	}
	idx := fe.IndexName(f.Idx)
	fn := fe.M.Fn.RelString(fe.M.Fn.Pkg.Pkg)
	msg := fmt.Sprintf("%s closed while still in %s on this path: %s deletes it from %s on its other paths (at %s); delete it on this path too [%s]",
		obj, idx, fn, idx, r.src.Where(f.Site.Ev.Pos), rules.CheckClosed)
	related := []analysis.RelatedInformation{{Pos: f.Site.Ev.Pos, Message: "deleted from " + idx + " here on another path"}}
	r.plain(fe.M.Fn, rules.CheckClosed, pos, msg, related)
	r.retainable(fe.M.Fn, pos, fe.Indexes[f.Idx], c.Ev.ObjType())
}

// Bulk: b ends the objects of b.Idx in a loop and leaves them there,
// while per deletes one from it when it ends it.
func (r *Reporter) Bulk(b events.BulkEnd, per events.PerObjectClose) {
	pkg := b.Fn.Pkg.Pkg
	name := r.src.ArgText(b.Call.Common(), b.Arg)
	typ := b.Type.Obj().Name()
	msg := fmt.Sprintf("%s ended while still in %s: this loop ends each %s of %s and leaves it there, while %s deletes a %s from %s when it ends one (at %s); "+
		"delete each one here, empty %s, or call %s [%s]",
		name, b.Idx, typ, b.Idx, per.Fn.RelString(pkg), typ, b.Idx, r.src.Where(per.Pos), b.Idx, per.Fn.Name(), rules.CheckClosed)
	related := []analysis.RelatedInformation{{Pos: per.Pos, Message: per.Fn.Name() + " deletes it from " + b.Idx.String() + " here"}}
	pos := b.Call.Pos()
	if !pos.IsValid() {
		pos = b.Call.Common().Pos()
	}
	r.plain(b.Fn, rules.CheckClosed, pos, msg, related)
	r.retainable(b.Fn, pos, b.Idx, types.NewPointer(b.Type))
}

// Lost: f.Obj, registered in f.Idx by a method of holder (f.Site.Ev) and
// held in holder's field, stays registered when the function returns,
// and holder dies with the call.
func (r *Reporter) Lost(fe *events.FnEvents, f flow.InFact, holder ssa.Value, field string) {
	ins := f.Site.Ev
	idx := fe.IndexName(f.Idx)
	name := r.src.ArgText(ins.CS.Common, 0)
	if name == "" {
		name = holder.Name()
	}
	how := "made here"
	if ex, ok := holder.(*ssa.Extract); ok {
		if c, ok := ex.Tuple.(*ssa.Call); ok {
			cs := events.NewCallSite(c.Common(), c, c.Pos())
			how = "made here by " + fe.What(&events.Event{CS: &cs})
		}
	}
	fn := fe.M.Fn.RelString(fe.M.Fn.Pkg.Pkg)
	msg := fmt.Sprintf("%s.%s, registered in %s by %s, stays there when %s returns: %s, %s, holds the only handle on it and dies with the call; unregister it before returning (a deferred cleanup) [%s]",
		name, field, idx, fe.What(ins), fn, name, how, rules.CheckUnregister)
	for _, fd := range r.byFn[fe.M.Fn] {
		if fd.holder == holder {
			return // one report per object that dies: one cleanup fixes its registrations
		}
	}
	at := holder.Pos()
	if ex, ok := holder.(*ssa.Extract); ok {
		at = ex.Tuple.Pos()
	}
	related := []analysis.RelatedInformation{{Pos: at, Message: name + " is made here and never handed out"}}
	r.plain(fe.M.Fn, rules.CheckUnregister, ins.Pos, msg, related)
	for _, fd := range r.byFn[fe.M.Fn] {
		if fd.pos == ins.Pos && fd.written != nil {
			fd.holder = holder
			fd.noFix = "the cleanup (a deferred call that unregisters what the object holds) goes where the object is made: the maintainer's choice"
		}
	}
}
