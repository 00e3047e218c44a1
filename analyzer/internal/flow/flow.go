// Package flow is the typestate dataflow of one function: property
// simulation (ESP) over its blocks, for a run of its objects. A State
// holds the (object, index) facts that are In, the objects closed and
// kept, the deletes on its paths and the branch conditions known there (a
// CondList); states with equal facts merge, and past maxStates per block
// they are widened into one. The flow interprets a function's events
// (package events) and the branches between them; it tells an Observer
// what its final pass sees.
package flow

import (
	"fmt"
	"go/constant"
	"go/token"
	"slices"
	"strconv"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// Observer is told what the final pass over a function sees.
type Observer interface {
	// Defect: object f.obj is freed by ev while in index f.idx. deferAt is
	// the defer statement for a deferred free, else NoPos.
	Defect(f InFact, ev *events.Event, deferAt token.Pos)
	// Freed: obj is freed by ev on a path whose earlier deletes are s.deleted.
	Freed(s *State, obj int, ev *events.Event)
	// Deleted: ev deletes obj (-1: every object) from ev.idx.
	Deleted(obj int, ev *events.Event)
	// ClosedDefect: object f.obj, closed by c, is still in index f.idx
	// where the path leaves the function (or, for a goroutine's close, at
	// the go statement).
	ClosedDefect(f InFact, c CloseRec)
	// Kept: ev hands obj over for good.
	Kept(obj int, ev *events.Event)
	// Exit: s reaches the return ret.
	Exit(s *State, ret *ssa.Return)
}

// Flow is the typestate dataflow of one function for a run of its
// objects: property simulation over its blocks, at most maxStates states
// per block.
type Flow struct {
	fe        *events.FnEvents
	only      map[int]bool // the objects of this run
	in        [][]*State
	collapsed []bool
	conds     map[*ssa.If]condID
}

type condID struct {
	key     any
	negated bool
}

// New returns the dataflow of fe's function for the objects of one run.
func New(fe *events.FnEvents, only map[int]bool) *Flow {
	n := len(fe.M.Fn.Blocks)
	return &Flow{fe: fe, only: only, in: make([][]*State, n), collapsed: make([]bool, n), conds: make(map[*ssa.If]condID)}
}

// tracked returns the objects of ev that this run follows.
func (fl *Flow) tracked(objs []int) []int {
	for i, o := range objs {
		if !fl.only[o] {
			out := slices.Clone(objs[:i])
			for _, o := range objs[i+1:] {
				if fl.only[o] {
					out = append(out, o)
				}
			}
			return out
		}
	}
	return objs
}

// Solve runs the dataflow to a fixpoint, then once more over the final
// states with obs watching, so that each defect is seen once.
func (fl *Flow) Solve(obs Observer) {
	blocks := fl.fe.M.Fn.Blocks
	if len(blocks) == 0 {
		return
	}
	fl.in[0] = []*State{{}}
	queued := make([]bool, len(blocks))
	work := []*ssa.BasicBlock{blocks[0]}
	queued[0] = true
	budget := 64 * (len(blocks) + 8) // a guard: the lattice is finite, but never hang
	for len(work) > 0 && budget > 0 {
		budget--
		b := work[0]
		work = work[1:]
		queued[b.Index] = false
		for _, s := range fl.in[b.Index] {
			fl.transfer(b, s, nil, func(succ *ssa.BasicBlock, t *State) {
				if fl.merge(succ, t) && !queued[succ.Index] {
					queued[succ.Index] = true
					work = append(work, succ)
				}
			})
		}
	}
	for _, b := range blocks {
		for _, s := range fl.in[b.Index] {
			fl.transfer(b, s, obs, func(*ssa.BasicBlock, *State) {})
		}
	}
}

// merge adds t to succ's states and reports whether they changed.
func (fl *Flow) merge(succ *ssa.BasicBlock, t *State) bool {
	i := succ.Index
	if fl.collapsed[i] {
		return fl.in[i][0].widen(t)
	}
	k := t.key()
	for _, s := range fl.in[i] {
		if s.key() == k {
			return s.join(t)
		}
	}
	fl.in[i] = append(fl.in[i], t.clone()) // stored states are changed in place by join and widen
	if len(fl.in[i]) > maxStates {
		one := fl.in[i][0]
		for _, s := range fl.in[i][1:] {
			one.widen(s)
		}
		fl.in[i] = []*State{one}
		fl.collapsed[i] = true
	}
	return true
}

// transfer runs block b on state s, handing each successor state to next.
// s is not changed: it is copied before the first change.
func (fl *Flow) transfer(b *ssa.BasicBlock, s *State, obs Observer, next func(*ssa.BasicBlock, *State)) {
	fl.runFrom(b, 0, 0, s, false, obs, next)
}

// runFrom runs block b from event j of instruction i. A guarded insert
// whose condition s does not know forks the state: one copy goes on
// knowing the condition held and the object went in, the other knowing it
// failed.
func (fl *Flow) runFrom(b *ssa.BasicBlock, i, j int, s *State, owned bool, obs Observer, next func(*ssa.BasicBlock, *State)) {
	own := func() {
		if !owned {
			s, owned = s.clone(), true
		}
	}
	for ; i < len(b.Instrs); i, j = i+1, 0 {
		instr := b.Instrs[i]
		switch x := instr.(type) {
		case *ssa.Defer:
			own()
			s.pushDefer(x)
			continue
		case *ssa.RunDefers:
			own()
			fl.runDefers(s, obs)
			continue
		case *ssa.Panic:
			own()
			fl.runDefers(s, obs)
			return
		case *ssa.Return:
			if obs != nil {
				fl.checkCloses(s, obs)
				obs.Exit(s, x)
			}
			return
		case *ssa.If:
			fl.branch(x, s, next)
			return
		}
		if kills := fl.fe.Kills[instr]; j == 0 && len(kills) > 0 && (len(s.Facts) > 0 || len(s.Closed) > 0) {
			own()
			s.remove(func(f InFact) bool { return slices.Contains(kills, f.Obj) })
			s.Closed = slices.DeleteFunc(s.Closed, func(c CloseRec) bool { return slices.Contains(kills, c.Obj) })
			s.keyOK = false
		}
		evs := fl.fe.At[instr]
		for ; j < len(evs); j++ {
			ev := &evs[j]
			if ev.Objs != nil && len(fl.tracked(ev.Objs)) == 0 && len(fl.tracked(ev.IdentObjs)) == 0 && !ev.Replace && ev.Kind != rules.Delete && len(ev.Before) == 0 {
				continue // another run follows these objects
			}
			own()
			if g := ev.Guard; g != nil {
				v, known := s.condValue(g.Key)
				if !known {
					failed := s.clone()
					failed.Conds = failed.Conds.push(model.Cond{Key: g.Key, Val: !g.Val, At: b})
					failed.keyOK = false
					fl.runFrom(b, i, j+1, failed, true, obs, next)
					s.Conds = s.Conds.push(model.Cond{Key: g.Key, Val: g.Val, At: b})
				} else if v != g.Val {
					continue
				}
			}
			fl.apply(s, ev, obs, token.NoPos)
		}
	}
	for _, succ := range b.Succs {
		next(succ, fl.leave(s, b, succ))
	}
}

func (fl *Flow) runDefers(s *State, obs Observer) {
	for i := len(s.defers) - 1; i >= 0; i-- {
		d := s.defers[i]
		for j := range fl.fe.At[d] {
			fl.apply(s, &fl.fe.At[d][j], obs, d.Pos())
		}
	}
	s.defers = nil
	s.keyOK = false
}

// branch follows only the edge consistent with what s knows of the
// condition, or both, each knowing the outcome.
func (fl *Flow) branch(x *ssa.If, s *State, next func(*ssa.BasicBlock, *State)) {
	b := x.Block()
	if c, ok := x.Cond.(*ssa.Const); ok && c.Value != nil && c.Value.Kind() == constant.Bool {
		succ := b.Succs[1] // if debug { ... } with a false constant: the body never runs
		if constant.BoolVal(c.Value) {
			succ = b.Succs[0]
		}
		next(succ, fl.leave(s, b, succ))
		return
	}
	c, ok := fl.conds[x]
	if !ok {
		c.key, c.negated = model.CondKey(fl.fe.M, x.Cond)
		fl.conds[x] = c
	}
	key, negated := c.key, c.negated
	miss, isMiss := fl.fe.Misses[x]
	if v, known := s.condValue(key); known {
		i := 0
		if v == negated {
			i = 1
		}
		if isMiss && i == miss.Edge {
			s = missed(s, miss)
		}
		next(b.Succs[i], fl.leave(s, b, b.Succs[i]))
		return
	}
	for i, succ := range b.Succs[:2] {
		t := s.withCond(model.Cond{Key: key, Val: (i == 0) != negated, At: b})
		if isMiss && i == miss.Edge {
			t = missed(t, miss)
		}
		next(succ, fl.leave(t, b, succ))
	}
}

// missed returns s knowing that nothing is stored under miss.key in its
// index: v, ok := m[k]; if !ok { ... } (s is not changed).
func missed(s *State, miss events.MissTest) *State {
	gone := func(f InFact) bool { return f.Idx == miss.Idx && f.Site.Ev.Key != nil && f.Site.Ev.Key == miss.Key }
	if !slices.ContainsFunc(s.Facts, gone) {
		return s
	}
	t := s.clone()
	t.remove(gone)
	return t
}

// leave prepares s to enter succ: conditions decided in blocks that succ
// dominates are about values that will be computed again (a loop's next
// iteration), so they are forgotten.
// s is not changed: a copy is made when something is forgotten.
func (fl *Flow) leave(s *State, pred, succ *ssa.BasicBlock) *State {
	conds := s.Conds.forgetDominated(succ)
	for _, c := range fl.phiConds(s, pred, succ) {
		conds = conds.push(c)
	}
	if conds == s.Conds {
		return s
	}
	t := *s
	t.Conds = conds
	return &t
}

// phiConds returns what the edge pred→succ tells of succ's phis that
// branches test: x is nil when the edge brings nil, not nil when it brings
// an address, and a bool phi is the constant the edge brings. So a value
// set on one path and tested later (x := nil; if c { x = &p.f }; if x !=
// nil {...}) follows that path.
func (fl *Flow) phiConds(s *State, pred, succ *ssa.BasicBlock) []model.Cond {
	var out []model.Cond
	edge := slices.Index(succ.Preds, pred)
	for _, instr := range succ.Instrs {
		phi, ok := instr.(*ssa.Phi)
		if !ok {
			break
		}
		if edge < 0 || edge >= len(phi.Edges) || !fl.fe.TestedPhis[phi] {
			continue
		}
		v := phi.Edges[edge]
		class := model.ResultClass(v)
		if inner, ok := v.(*ssa.Phi); ok && class == "" {
			class = fl.knownClass(s, inner) // a phi of phis: what the path knew of the inner one
		}
		switch {
		case class == "nil" || class == "nonnil" || isAddress(v):
			out = append(out, model.Cond{Key: model.BinKey{Op: token.EQL, X: model.OperandKey(fl.fe.M, phi), Y: model.NilKey}, Val: class == "nil", At: pred})
		case class == "true" || class == "false":
			out = append(out, model.Cond{Key: model.OperandKey(fl.fe.M, phi), Val: class == "true", At: pred})
		}
	}
	return out
}

// knownClass says what s knows of the phi v: "nil", "nonnil", "true",
// "false" or "".
func (fl *Flow) knownClass(s *State, v *ssa.Phi) string {
	if isNil, known := s.condValue(model.BinKey{Op: token.EQL, X: model.OperandKey(fl.fe.M, v), Y: model.NilKey}); known {
		if isNil {
			return "nil"
		}
		return "nonnil"
	}
	if b, known := s.condValue(model.OperandKey(fl.fe.M, v)); known {
		return strconv.FormatBool(b)
	}
	return ""
}

// isAddress reports whether v is never nil: the address of something.
func isAddress(v ssa.Value) bool {
	switch v.(type) {
	case *ssa.FieldAddr, *ssa.IndexAddr, *ssa.Alloc, *ssa.MakeMap, *ssa.MakeChan, *ssa.MakeClosure, *ssa.Global, *ssa.Function:
		return true
	}
	return false
}

// apply interprets one event on s.
func (fl *Flow) apply(s *State, ev *events.Event, obs Observer, deferAt token.Pos) {
	if ev.Idx != events.AnyIndex && (ev.Idx < 0 || ev.Idx >= len(fl.fe.Indexes)) {
		panic(fmt.Sprintf("internal error: event at %v names index %d of %d", ev.Pos, ev.Idx, len(fl.fe.Indexes)))
	}
	switch ev.Kind {
	case rules.Insert:
		if ev.Replace {
			fl.replace(s, ev)
		}
		for _, o := range fl.tracked(ev.Objs) {
			s.Add(InFact{Obj: o, Idx: ev.Idx, Site: &Site{Ev: ev}})
		}
		for _, o := range fl.tracked(ev.IdentObjs) {
			s.Add(InFact{Obj: o, Idx: ev.Idx, Site: &Site{Ev: ev, Ident: true}})
		}
	case rules.Read:
		for _, o := range fl.tracked(ev.Objs) {
			s.Add(InFact{Obj: o, Idx: ev.Idx, Site: &Site{Ev: ev, Read: true}})
			// What is read now is another instance than the one closed
			// before: a range's element, read on each iteration.
			s.Closed = slices.DeleteFunc(s.Closed, func(c CloseRec) bool { return c.Obj == o })
			s.keyOK = false
		}
	case rules.Delete:
		if ev.ByKey {
			fl.replace(s, ev)
			return
		}
		fl.delete(s, ev, obs)
	case rules.Free:
		for i := range ev.Before {
			fl.delete(s, &ev.Before[i], obs)
		}
		for _, o := range fl.tracked(ev.Objs) {
			if !s.isKept(o) {
				fl.free(s, o, ev, obs, deferAt)
			}
		}
	case rules.Close:
		for i := range ev.Before {
			fl.delete(s, &ev.Before[i], obs)
		}
		for _, o := range fl.tracked(ev.Objs) {
			if !s.isKept(o) {
				fl.close(s, CloseRec{Obj: o, Ev: ev, DeferAt: deferAt, Held: s.heldBy(o)}, obs)
			}
		}
	case rules.Keep:
		for _, o := range fl.tracked(ev.Objs) {
			s.keep(o)
			if obs != nil {
				obs.Kept(o, ev)
			}
		}
	}
}

// close opens the obligation that c.obj leave its indexes before the path
// leaves the function. A goroutine's close is one too, reported at its go
// statement: the deletes the goroutine makes are applied there, and the
// function that starts it may still delete the object, or reset the
// index, afterwards (m.groups = fresh, after stopping the old groups).
func (fl *Flow) close(s *State, c CloseRec, obs Observer) {
	s.close(c)
}

// checkClose reports each index that this function can see still holding
// the object c closed. An insert made by the very call that closes (on
// another of its paths) is the callee's to check: it saw both.
func (fl *Flow) checkClose(s *State, c CloseRec, obs Observer) {
	for _, f := range s.Facts {
		if f.Obj != c.Obj || !closeChecked(fl.fe, f.Idx) || !slices.Contains(c.Held, f.Idx) {
			continue
		}
		if sameCall(f.Site.Ev, c.Ev) {
			continue
		}
		obs.ClosedDefect(f, c)
	}
}

// sameCall reports whether two events come from one call: a callee that
// inserts on one path and ends the object on another has checked both
// itself; its flattened summary must not pair them.
func sameCall(a, b *events.Event) bool {
	return a.CS != nil && b.CS != nil && a.CS.Common == b.CS.Common
}

// checkCloses reports, where a path leaves the function, each closed
// object still in an index that this function can see.
func (fl *Flow) checkCloses(s *State, obs Observer) {
	for _, c := range s.Closed {
		fl.checkClose(s, c, obs)
	}
}

func (fl *Flow) replace(s *State, ev *events.Event) {
	s.remove(func(f InFact) bool {
		return f.Idx == ev.Idx && f.Site.Ev.Key != nil && f.Site.Ev.Key == ev.Key
	})
}

func (fl *Flow) delete(s *State, ev *events.Event, obs Observer) {
	if ev.Objs == nil {
		s.remove(func(f InFact) bool { return f.Idx == ev.Idx })
		s.recordDelete(DelRec{Obj: -1, Idx: ev.Idx, Ev: ev})
		if obs != nil {
			obs.Deleted(-1, ev)
		}
		return
	}
	for _, o := range ev.Objs {
		s.remove(func(f InFact) bool { return f.Obj == o && (ev.Idx == events.AnyIndex || f.Idx == ev.Idx) })
		s.recordDelete(DelRec{Obj: o, Idx: ev.Idx, Ev: ev})
		if obs != nil {
			obs.Deleted(o, ev)
		}
	}
}

func (fl *Flow) free(s *State, o int, ev *events.Event, obs Observer, deferAt token.Pos) {
	if obs != nil {
		for _, f := range s.Facts {
			if f.Obj == o && !f.Site.Ident && !sameCall(f.Site.Ev, ev) { // a key naming freed memory points at nothing
				obs.Defect(f, ev, deferAt)
			}
		}
		obs.Freed(s, o, ev)
	}
	s.remove(func(f InFact) bool { return f.Obj == o })
}

// closeChecked reports whether a closed object still in index idx at the
// end of a path is a defect this function reports: the index outlives the
// function. An object read out of an index passed in is the caller's to
// clean up (clear(m), m = nil), so that is left to the caller.
func closeChecked(fe *events.FnEvents, idx int) bool {
	return fe.Indexes[idx].Exported()
}
