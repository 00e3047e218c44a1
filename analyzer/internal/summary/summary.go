// Package summary collects what a function does to what its callers can
// see (its parameters, results, captured variables and the fields reached
// from them) into its facts.Summary, from what the final pass of the
// dataflow tells it (it is a flow.Observer, after the checks): the frees
// with the deletes before them, the deletes, the keeps, and, at each
// return, the inserts still in force and the closes whose obligations are
// open, each with the guard (a result, or a parameter's test) that tells
// the returns where it holds (guards.go). Closes of a receiver's own
// resources and the deletes of replacing inserts are summarised in
// closes.go.
package summary

import (
	"cmp"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/flow"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

const maxSteps = 8 // calls kept in a witness

// Summarizer watches the final pass over a function: it collects the
// function's effects on what its callers can see.
type Summarizer struct {
	fe       *events.FnEvents
	operands map[int]facts.Operand
	sum      facts.Summary
	seen     map[effectKey]int // the position of each effect added
	exits    []exitRec
	// deletes are the deletes of the run, kept until its returns are
	// known: each may hold only under a condition on a parameter.
	deletes []pendingDelete
	// stores are the fields the function writes, found when first asked.
	stores map[*types.Var]bool
}

// pendingDelete is a delete seen on some path of a run.
type pendingDelete struct {
	obj int
	ev  *events.Event
}

// effectKey identifies an effect while collecting, without formatting it.
type effectKey struct {
	op     rules.Kind
	obj    facts.Operand
	idx    facts.IndexID
	before int // how many deletes precede a free: a cheap proxy, exact keys are made by normalize
	guard  facts.Guard
	key    facts.Operand
	maybe  bool
}

// add records e, with the witness of ev, unless an equal effect is in.
func (sz *Summarizer) add(e facts.Effect, ev *events.Event) {
	k := effectKey{op: e.Op, obj: e.Object, idx: e.Index, before: len(e.Before), maybe: e.Maybe}
	if e.Guard != nil {
		k.guard = *e.Guard
	}
	if e.Key != nil {
		k.key = *e.Key
	}
	if i, ok := sz.seen[k]; ok {
		old := &sz.sum.Effects[i]
		// Put in on one path, read on another (a get-or-create): it
		// registers.
		read := old.Read && e.Read
		async := old.Async && e.Async    // done by the function itself on some path
		by := cmp.Or(old.By, e.By)       // which object a delete by key meant, from any of its deletes
		locked := old.Locked || e.Locked // a mutex held on some path: a fix elsewhere could race
		// The paths reach here in an order that may change from run to
		// run: keep the effect of the earliest steps, so that the
		// summary (and the facts, and the cache keys of importers) is the
		// same on every run.
		if steps := sz.stepsOf(ev); stepsBefore(steps, old.Steps) {
			e.Steps = steps
			*old = e
		}
		old.Read, old.Async, old.By, old.Locked = read, async, by, locked
		return
	}
	sz.seen[k] = len(sz.sum.Effects)
	e.Steps = sz.stepsOf(ev)
	sz.sum.Effects = append(sz.sum.Effects, e)
}

// stepsBefore reports whether steps a come before steps b: by the
// position of each step, then by its function, then by number.
func stepsBefore(a, b []facts.Step) bool {
	for i := range min(len(a), len(b)) {
		if c := cmp.Or(cmp.Compare(a[i].Pos(), b[i].Pos()), cmp.Compare(a[i].Func, b[i].Func), cmp.Compare(a[i].Where, b[i].Where)); c != 0 {
			return c < 0
		}
	}
	return len(a) < len(b)
}

// New returns the summarizer of fe's function.
func New(fe *events.FnEvents) *Summarizer {
	return &Summarizer{fe: fe, operands: operandsOf(fe.M), seen: make(map[effectKey]int)}
}

// Operands returns the objects a caller can see, with the operands that
// name them in a summary.
func (sz *Summarizer) Operands() map[int]facts.Operand { return sz.operands }

// returnedValues returns what a return's result r is: r itself, and,
// where r is loaded from the result slot a function with defers returns
// through, every value stored in that slot (each return statement stores
// its own).
func returnedValues(r ssa.Value) []ssa.Value {
	vals := model.SlotValues(r)
	if len(vals) == 1 && vals[0] == r {
		return vals
	}
	return append([]ssa.Value{r}, vals...)
}

// operandsOf names the objects a caller can see: parameters, results and
// captured variables, and the fields reached from them. Shorter paths win.
func operandsOf(m *model.FuncModel) map[int]facts.Operand {
	bases := make(map[ssa.Value]facts.Operand)
	for i, p := range m.Fn.Params {
		bases[p] = facts.Operand{Base: facts.ParamOperand, Pos: i}
	}
	for i, fv := range m.Fn.FreeVars {
		bases[fv] = facts.Operand{Base: facts.FreeVarOperand, Pos: i}
	}
	for _, b := range m.Fn.Blocks {
		if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			for i, r := range ret.Results {
				for _, v := range returnedValues(r) {
					for _, id := range m.RawObjects(v) {
						k := m.Objs.Keys[id]
						if _, named := bases[k.Root]; k.Path == "" && !named {
							// A parameter returned stays the parameter: the
							// caller knows it by its argument.
							bases[k.Root] = facts.Operand{Base: facts.ResultOperand, Pos: i}
						}
					}
				}
			}
		}
	}
	out := make(map[int]facts.Operand)
	for id, k := range m.Objs.Keys {
		base, ok := bases[k.Root]
		if !ok || !shortPath(k.Path) {
			continue
		}
		c := m.Objs.Find(id)
		op := facts.Operand{Base: base.Base, Pos: base.Pos, Path: k.Path}
		if old, seen := out[c]; !seen || better(op, old) {
			out[c] = op
		}
	}
	// A returned value is result i whatever its root: return m[k] returns
	// the object read out of m. Through a result slot (a function with
	// defers), each value stored there is returned.
	for _, b := range m.Fn.Blocks {
		if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			for i, r := range ret.Results {
				for _, v := range returnedValues(r) {
					if _, isConst := v.(*ssa.Const); isConst {
						continue
					}
					for _, c := range m.Objects(v) {
						op := facts.Operand{Base: facts.ResultOperand, Pos: i}
						if old, seen := out[c]; !seen || better(op, old) {
							out[c] = op
						}
					}
				}
			}
		}
	}
	return out
}

// shortPath reports whether a path is short enough for a caller to trust
// it names the same object: the object itself, one field of it (r.px), or
// the elements of a slice parameter. Longer paths (s.sys.client,
// c.results[].subs) stand for many objects at run time; summaries that
// spoke of them made callers confuse one with another.
func shortPath(path string) bool {
	n := 0
	for _, step := range facts.SplitPath(path) {
		if step != facts.StepDeref {
			n++
		}
	}
	return n <= 1
}

func better(a, b facts.Operand) bool {
	la, lb := strings.Count(a.Path, "|"), strings.Count(b.Path, "|")
	if la != lb {
		return la < lb
	}
	return a.Base < b.Base
}

// Freed records the free of an operand, with the deletes of its path.
func (sz *Summarizer) Freed(s *flow.State, obj int, ev *events.Event, _ token.Pos) {
	if op, ok := sz.operands[obj]; ok {
		sz.add(facts.Effect{Op: rules.Free, Object: op, Before: sz.deletesOf(s.Deleted, obj)}, ev)
	}
}

// deletesOf returns, as effects, the deletes of a path that concern obj.
func (sz *Summarizer) deletesOf(deleted []flow.DelRec, obj int) []facts.Effect {
	var out []facts.Effect
	for _, d := range deleted {
		if d.Obj != -1 && d.Obj != obj {
			continue
		}
		if b, ok := sz.deleteEffect(d.Obj, d.Ev); ok {
			b.Guard = sz.deleteGuard(d.Obj, d.Idx)
			out = append(out, b)
		}
	}
	return out
}

// closeEffect records a close still open at an exit, under the guard that
// tells the exits where it holds, with the deletes of that exit's paths.
func (sz *Summarizer) closeEffect(c flow.CloseRec, deleted []flow.DelRec, g *facts.Guard, maybe bool) {
	op := sz.operands[c.Obj]
	e := facts.Effect{Op: rules.Close, Object: op, Guard: g, Before: sz.deletesOf(deleted, c.Obj), Maybe: maybe,
		Async: c.Ev != nil && c.Ev.Async()}
	sz.add(e, c.Ev)
	if self, ok := sz.selfClose(op); ok {
		e.Object = self
		sz.add(e, c.Ev)
	}
}

// Kept records that an operand is handed over for good.
func (sz *Summarizer) Kept(obj int, ev *events.Event) {
	if op, ok := sz.operands[obj]; ok {
		sz.add(facts.Effect{Op: rules.Keep, Object: op}, ev)
	}
}

// Deleted records the delete of an operand, or of every object of an
// index the caller sees; it is summarised at the end of the run, with the
// condition under which it holds.
func (sz *Summarizer) Deleted(obj int, ev *events.Event) {
	if _, ok := sz.deleteEffect(obj, ev); ok {
		sz.deletes = append(sz.deletes, pendingDelete{obj, ev})
	}
}

// addDeletes summarises the deletes of a run. A delete that some returns
// reach without, where every return that has it took one branch on a
// parameter (if unregister { delete(m, k) }), holds under that guard: a
// caller whose argument fails it does not delete. Any other delete on some
// paths counts as a delete (when in doubt, silent): the function's own
// paths show the one that skips it, and its checks judge it there.
func (sz *Summarizer) addDeletes() {
	for _, d := range sz.deletes {
		e, _ := sz.deleteEffect(d.obj, d.ev)
		e.Guard = sz.deleteGuard(d.obj, d.ev.Idx)
		sz.add(e, d.ev)
	}
	sz.deletes = sz.deletes[:0]
}

// deleteGuard returns the condition on a parameter under which the
// delete of obj from idx holds at return, or nil when it holds on every
// return or no parameter tells.
func (sz *Summarizer) deleteGuard(obj, idx int) *facts.Guard {
	holds := func(r *exitRec) bool { return r.deletes(obj, idx) }
	every := true
	for i := range sz.exits {
		every = every && holds(&sz.exits[i])
	}
	if every || len(sz.exits) == 0 {
		return nil
	}
	return sz.paramGuard(holds)
}

func (sz *Summarizer) deleteEffect(obj int, ev *events.Event) (facts.Effect, bool) {
	e := facts.Effect{Op: rules.Delete}
	if obj != -1 {
		op, ok := sz.operands[obj]
		if !ok {
			return e, false
		}
		e.Object = op
	}
	if ev.Idx != events.AnyIndex {
		id := sz.fe.Indexes[ev.Idx]
		if id.Kind == facts.LocalIndex {
			return e, false
		}
		e.Index = id
	} else if obj == -1 {
		return e, false
	}
	if obj == -1 && ev.DelKey != nil {
		if by, ok := model.KeyOperand(ev.DelKey); ok {
			e.By = &by
		}
	}
	return e, true
}

// Exit records what is in force when s reaches a return; the inserts are
// summarised once all returns are known, to find their guards.
func (sz *Summarizer) Exit(s *flow.State, ret *ssa.Return) {
	rec := exitRec{ret: ret, conds: s.Conds, deleted: s.Deleted}
	for _, c := range s.Closed {
		if op, ok := sz.operands[c.Obj]; ok && op.Base != facts.ResultOperand {
			rec.closed = append(rec.closed, c) // a result closed here was the callee's to clean up
		}
	}
	for _, f := range s.Facts {
		op, ok := sz.operands[f.Obj]
		id := sz.fe.Indexes[f.Idx]
		if !ok || f.Site.Seeded || id.Kind == facts.LocalIndex || (f.Site.Read && op.Base != facts.ResultOperand) {
			continue // what was read from a parameter's index was in it before the call
		}
		rec.facts = append(rec.facts, f)
	}
	sz.exits = append(sz.exits, rec)
}

// exitRec is one state reaching one return.
type exitRec struct {
	ret     *ssa.Return // nil for reads summarised without the dataflow
	facts   []flow.InFact
	closed  []flow.CloseRec
	deleted []flow.DelRec
	conds   *flow.CondList
}

func (rec *exitRec) has(f flow.InFact) bool {
	return slices.ContainsFunc(rec.facts, func(g flow.InFact) bool { return g.Obj == f.Obj && g.Idx == f.Idx })
}

// deletes reports whether the paths of rec deleted obj (-1: every
// object) from idx; when they deleted too much to record, they may have.
func (rec *exitRec) deletes(obj, idx int) bool {
	return len(rec.deleted) >= flow.MaxDeleted ||
		slices.ContainsFunc(rec.deleted, func(d flow.DelRec) bool { return d.Obj == obj && d.Idx == idx })
}

func (rec *exitRec) closes(obj int) bool {
	return slices.ContainsFunc(rec.closed, func(c flow.CloseRec) bool { return c.Obj == obj && !c.Maybe })
}

// EndRun summarises the inserts of one run of the dataflow: guards are
// found among the exits of the same run.
func (sz *Summarizer) EndRun() {
	sz.addInserts()
	sz.addDeletes()
	sz.exits = sz.exits[:0]
}

// addInserts summarises what is in an index at return, each insert with
// the guard under which it holds.
func (sz *Summarizer) addInserts() {
	for _, rec := range sz.exits {
		for _, f := range rec.facts {
			e := facts.Effect{Op: rules.Insert, Object: sz.operands[f.Obj], Index: sz.fe.Indexes[f.Idx],
				MapKey: f.Site.Ev.MapKey, Keyed: f.Site.Ev.Keyed,
				Node: f.Site.Ev.Node, NodeType: f.Site.Ev.NodeType,
				Guard:  sz.guard(func(r *exitRec) bool { return r.has(f) }),
				Locked: f.Site.Ev.Locked || sz.fe.LockedAt(f.Site.Ev.Instr),
				Ident:  f.Site.Ident, Read: sz.found(f)}
			sz.add(e, f.Site.Ev)
		}
		for _, c := range rec.closed {
			if c.Maybe {
				sz.closeEffect(c, rec.deleted, nil, true) // a callee's maybe-close is one here too
				continue
			}
			holds := func(r *exitRec) bool { return r.closes(c.Obj) }
			g := sz.guard(holds)
			sz.closeEffect(c, rec.deleted, g, g == nil && (sz.closedOrKept(c.Obj, holds) || sz.unexplained(c.Obj, holds)))
		}
	}
}

// found reports whether f's object was read out of its index rather
// than put in: a read by a call that does not also insert (LoadOrStore
// gets or creates: what it returns may be what it stored), or an insert
// a callee found.
func (sz *Summarizer) found(f flow.InFact) bool {
	if f.Site.Ev.Found {
		return true
	}
	return f.Site.Read && !f.Site.Ev.Creates
}

// stepsOf is the witness of an event: the calls it came through, or the
// operation itself.
func (sz *Summarizer) stepsOf(ev *events.Event) []facts.Step {
	steps := sz.fe.Steps(ev)
	if len(steps) == 0 {
		name := "" // an operation of the language: m[k] = v, delete
		if ev.CS != nil {
			name = ev.CS.FuncName()
		}
		steps = []facts.Step{facts.NewStep(name, ev.Pos, ev.Arg())}
	}
	if len(steps) > maxSteps {
		steps = steps[:maxSteps]
	}
	return steps
}

// Summary returns the function's summary, once every run of the dataflow
// is done.
func (sz *Summarizer) Summary() *facts.Summary {
	sz.addInserts()
	sz.addDeletes()
	sz.addKeyDeletes()
	s := &facts.Summary{Effects: sz.sum.Effects}
	s.Normalize()
	return s
}

// WithoutFlow summarises a function that neither inserts nor frees: its
// facts can only come from reads, so order does not matter. It deletes
// whatever its deletes name, and returns what it read out of an index.
func (sz *Summarizer) WithoutFlow() {
	for _, evs := range sz.fe.At {
		for i := range evs {
			ev := &evs[i]
			switch ev.Kind {
			case rules.Delete:
				if ev.Objs == nil {
					sz.Deleted(-1, ev)
				}
				for _, o := range ev.Objs {
					sz.Deleted(o, ev)
				}
			case rules.Read:
				s := &flow.State{}
				for _, o := range ev.Objs {
					s.Add(flow.InFact{Obj: o, Idx: ev.Idx, Site: &flow.Site{Ev: ev, Read: true}})
				}
				sz.Exit(s, nil)
			}
		}
	}
}
