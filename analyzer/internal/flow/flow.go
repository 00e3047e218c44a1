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
	"go/token"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// Observer is told what the final pass over a function sees. The checks
// (package checks) conclude from it what to report; the summary (package
// summary) is collected from it.
type Observer interface {
	// Freed: obj is freed by ev on a path in state s: s.Facts are what the
	// free meets, s.Deleted the deletes before it. deferAt is the defer
	// statement for a deferred free, else NoPos.
	Freed(s *State, obj int, ev *events.Event, deferAt token.Pos)
	// Deleted: ev deletes obj (-1: every object) from ev.idx.
	Deleted(obj int, ev *events.Event)
	// Kept: ev hands obj over for good.
	Kept(obj int, ev *events.Event)
	// Exit: s reaches the return ret, with the obligations of the closes
	// on its paths (s.Closed) still open.
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
	if fl.only == nil {
		return objs // a run of every object
	}
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
	fl.Fixpoint()
	fl.Observe(obs)
}

// seeded returns the entry state: the run's seeds in their indexes.
func (fl *Flow) seeded() *State {
	s := &State{}
	for _, sd := range fl.fe.Seeds {
		if len(fl.tracked([]int{sd.Obj})) == 1 {
			s.Add(InFact{Obj: sd.Obj, Idx: sd.Idx, Site: &Site{Ev: sd.Del, Seeded: true}})
		}
	}
	return s
}

// Fixpoint runs the dataflow to its fixpoint and reports whether some
// block's states had to be widened.
func (fl *Flow) Fixpoint() (widened bool) {
	blocks := fl.fe.M.Fn.Blocks
	if len(blocks) == 0 {
		return false
	}
	fl.in[0] = []*State{fl.seeded()}
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
	return slices.Contains(fl.collapsed, true)
}

// Observe runs every block once more on its final states with obs
// watching, so that each defect is seen once.
func (fl *Flow) Observe(obs Observer) {
	for _, b := range fl.fe.M.Fn.Blocks {
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
				// The obligation that o leave the indexes holding it now
				// before the path leaves the function. A goroutine's close
				// is one too, reported at its go statement: the function
				// that starts it may still delete the object, or reset the
				// index, afterwards.
				s.close(CloseRec{Obj: o, Ev: ev, DeferAt: deferAt, Held: s.heldBy(o), Maybe: ev.Maybe})
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

func (fl *Flow) replace(s *State, ev *events.Event) {
	drop := func(f InFact) bool {
		return f.Idx == ev.Idx && f.Site.Ev.Key != nil && f.Site.Ev.Key == ev.Key
	}
	if ev.Kind == rules.Delete {
		s.undo(drop, ev)
		return
	}
	s.remove(drop) // an insert replacing the entry: no undo
}

func (fl *Flow) delete(s *State, ev *events.Event, obs Observer) {
	if ev.Objs == nil {
		s.undo(func(f InFact) bool { return f.Idx == ev.Idx }, ev)
		s.recordDelete(DelRec{Obj: -1, Idx: ev.Idx, Ev: ev})
		if obs != nil {
			obs.Deleted(-1, ev)
		}
		return
	}
	for _, o := range ev.Objs {
		s.undo(func(f InFact) bool { return f.Obj == o && (ev.Idx == events.AnyIndex || f.Idx == ev.Idx) }, ev)
		s.recordDelete(DelRec{Obj: o, Idx: ev.Idx, Ev: ev})
		if obs != nil {
			obs.Deleted(o, ev)
		}
	}
}

// free tells obs of the free (what it meets is the freed check's to
// judge), then drops the facts about o: a freed object is in no index.
func (fl *Flow) free(s *State, o int, ev *events.Event, obs Observer, deferAt token.Pos) {
	if obs != nil {
		obs.Freed(s, o, ev, deferAt)
	}
	s.remove(func(f InFact) bool { return f.Obj == o })
}
