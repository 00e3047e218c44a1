package analyzer

import (
	"fmt"
	"go/constant"
	"go/token"
	"slices"
	"strconv"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// observer is told what the final pass over a function sees.
type observer interface {
	// defect: object f.obj is freed by ev while in index f.idx. deferAt is
	// the defer statement for a deferred free, else NoPos.
	defect(f inFact, ev *event, deferAt token.Pos)
	// freed: obj is freed by ev on a path whose earlier deletes are s.deleted.
	freed(s *state, obj int, ev *event)
	// deleted: ev deletes obj (-1: every object) from ev.idx.
	deleted(obj int, ev *event)
	// closedDefect: object f.obj, closed by c, is still in index f.idx
	// where the path leaves the function (or, for a goroutine's close, at
	// the go statement).
	closedDefect(f inFact, c closeRec)
	// kept: ev hands obj over for good.
	kept(obj int, ev *event)
	// exit: s reaches the return ret.
	exit(s *state, ret *ssa.Return)
}

// flow is the typestate dataflow of one function for a run of its
// objects: property simulation over its blocks, at most maxStates states
// per block.
type flow struct {
	fe        *fnEvents
	only      map[int]bool // the objects of this run
	in        [][]*state
	collapsed []bool
	conds     map[*ssa.If]condID
}

type condID struct {
	key     any
	negated bool
}

func newFlow(fe *fnEvents, only map[int]bool) *flow {
	n := len(fe.m.fn.Blocks)
	return &flow{fe: fe, only: only, in: make([][]*state, n), collapsed: make([]bool, n), conds: make(map[*ssa.If]condID)}
}

// tracked returns the objects of ev that this run follows.
func (fl *flow) tracked(objs []int) []int {
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

// solve runs the dataflow to a fixpoint, then once more over the final
// states with obs watching, so that each defect is seen once.
func (fl *flow) solve(obs observer) {
	fl.fixpoint()
	fl.observe(obs)
}

// fixpoint runs the dataflow to its fixpoint and reports whether some
// block's states had to be widened.
func (fl *flow) fixpoint() (widened bool) {
	blocks := fl.fe.m.fn.Blocks
	if len(blocks) == 0 {
		return false
	}
	fl.in[0] = []*state{{}}
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
			fl.transfer(b, s, nil, func(succ *ssa.BasicBlock, t *state) {
				if fl.merge(succ, t) && !queued[succ.Index] {
					queued[succ.Index] = true
					work = append(work, succ)
				}
			})
		}
	}
	return slices.Contains(fl.collapsed, true)
}

// observe runs every block once more on its final states with obs
// watching, so that each defect is seen once.
func (fl *flow) observe(obs observer) {
	blocks := fl.fe.m.fn.Blocks
	for _, b := range blocks {
		for _, s := range fl.in[b.Index] {
			fl.transfer(b, s, obs, func(*ssa.BasicBlock, *state) {})
		}
	}
}

// merge adds t to succ's states and reports whether they changed.
func (fl *flow) merge(succ *ssa.BasicBlock, t *state) bool {
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
		fl.in[i] = []*state{one}
		fl.collapsed[i] = true
	}
	return true
}

// transfer runs block b on state s, handing each successor state to next.
// s is not changed: it is copied before the first change.
func (fl *flow) transfer(b *ssa.BasicBlock, s *state, obs observer, next func(*ssa.BasicBlock, *state)) {
	fl.runFrom(b, 0, 0, s, false, obs, next)
}

// runFrom runs block b from event j of instruction i. A guarded insert
// whose condition s does not know forks the state: one copy goes on
// knowing the condition held and the object went in, the other knowing it
// failed.
func (fl *flow) runFrom(b *ssa.BasicBlock, i, j int, s *state, owned bool, obs observer, next func(*ssa.BasicBlock, *state)) {
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
				obs.exit(s, x)
			}
			return
		case *ssa.If:
			fl.branch(x, s, next)
			return
		}
		if kills := fl.fe.kills[instr]; j == 0 && len(kills) > 0 && (len(s.facts) > 0 || len(s.closed) > 0) {
			own()
			s.remove(func(f inFact) bool { return slices.Contains(kills, f.obj) })
			s.closed = slices.DeleteFunc(s.closed, func(c closeRec) bool { return slices.Contains(kills, c.obj) })
			s.keyOK = false
		}
		evs := fl.fe.at[instr]
		for ; j < len(evs); j++ {
			ev := &evs[j]
			if ev.objs != nil && len(fl.tracked(ev.objs)) == 0 && len(fl.tracked(ev.identObjs)) == 0 && !ev.replace && ev.kind != rules.Delete && len(ev.before) == 0 {
				continue // another run follows these objects
			}
			own()
			if g := ev.guard; g != nil {
				v, known := s.condValue(g.key)
				if !known {
					failed := s.clone()
					failed.conds = failed.conds.push(cond{key: g.key, val: !g.val, at: b})
					failed.keyOK = false
					fl.runFrom(b, i, j+1, failed, true, obs, next)
					s.conds = s.conds.push(cond{key: g.key, val: g.val, at: b})
				} else if v != g.val {
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

func (fl *flow) runDefers(s *state, obs observer) {
	for i := len(s.defers) - 1; i >= 0; i-- {
		d := s.defers[i]
		for j := range fl.fe.at[d] {
			fl.apply(s, &fl.fe.at[d][j], obs, d.Pos())
		}
	}
	s.defers = nil
	s.keyOK = false
}

// branch follows only the edge consistent with what s knows of the
// condition, or both, each knowing the outcome.
func (fl *flow) branch(x *ssa.If, s *state, next func(*ssa.BasicBlock, *state)) {
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
		c.key, c.negated = condKey(fl.fe.m, x.Cond)
		fl.conds[x] = c
	}
	key, negated := c.key, c.negated
	miss, isMiss := fl.fe.misses[x]
	if v, known := s.condValue(key); known {
		i := 0
		if v == negated {
			i = 1
		}
		if isMiss && i == miss.edge {
			s = missed(s, miss)
		}
		next(b.Succs[i], fl.leave(s, b, b.Succs[i]))
		return
	}
	for i, succ := range b.Succs[:2] {
		t := s.withCond(cond{key: key, val: (i == 0) != negated, at: b})
		if isMiss && i == miss.edge {
			t = missed(t, miss)
		}
		next(succ, fl.leave(t, b, succ))
	}
}

// missed returns s knowing that nothing is stored under miss.key in its
// index: v, ok := m[k]; if !ok { ... } (s is not changed).
func missed(s *state, miss missTest) *state {
	gone := func(f inFact) bool { return f.idx == miss.idx && f.site.ev.key != nil && f.site.ev.key == miss.key }
	if !slices.ContainsFunc(s.facts, gone) {
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
func (fl *flow) leave(s *state, pred, succ *ssa.BasicBlock) *state {
	conds := s.conds.forgetDominated(succ)
	for _, c := range fl.phiConds(s, pred, succ) {
		conds = conds.push(c)
	}
	if conds == s.conds {
		return s
	}
	t := *s
	t.conds = conds
	return &t
}

// phiConds returns what the edge pred→succ tells of succ's phis that
// branches test: x is nil when the edge brings nil, not nil when it brings
// an address, and a bool phi is the constant the edge brings. So a value
// set on one path and tested later (x := nil; if c { x = &p.f }; if x !=
// nil {...}) follows that path.
func (fl *flow) phiConds(s *state, pred, succ *ssa.BasicBlock) []cond {
	var out []cond
	edge := slices.Index(succ.Preds, pred)
	for _, instr := range succ.Instrs {
		phi, ok := instr.(*ssa.Phi)
		if !ok {
			break
		}
		if edge < 0 || edge >= len(phi.Edges) || !fl.fe.testedPhis[phi] {
			continue
		}
		v := phi.Edges[edge]
		class := resultClass(v)
		if inner, ok := v.(*ssa.Phi); ok && class == "" {
			class = fl.knownClass(s, inner) // a phi of phis: what the path knew of the inner one
		}
		switch {
		case class == "nil" || class == "nonnil" || isAddress(v):
			out = append(out, cond{key: binKey{token.EQL, operandKey(fl.fe.m, phi), nilKey}, val: class == "nil", at: pred})
		case class == "true" || class == "false":
			out = append(out, cond{key: operandKey(fl.fe.m, phi), val: class == "true", at: pred})
		}
	}
	return out
}

// knownClass says what s knows of the phi v: "nil", "nonnil", "true",
// "false" or "".
func (fl *flow) knownClass(s *state, v *ssa.Phi) string {
	if isNil, known := s.condValue(binKey{token.EQL, operandKey(fl.fe.m, v), nilKey}); known {
		if isNil {
			return "nil"
		}
		return "nonnil"
	}
	if b, known := s.condValue(operandKey(fl.fe.m, v)); known {
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
func (fl *flow) apply(s *state, ev *event, obs observer, deferAt token.Pos) {
	if ev.idx != anyIndex && (ev.idx < 0 || ev.idx >= len(fl.fe.indexes)) {
		panic(fmt.Sprintf("internal error: event at %v names index %d of %d", ev.pos, ev.idx, len(fl.fe.indexes)))
	}
	switch ev.kind {
	case rules.Insert:
		if ev.replace {
			fl.replace(s, ev)
		}
		for _, o := range fl.tracked(ev.objs) {
			s.add(inFact{obj: o, idx: ev.idx, site: &site{ev: ev}})
		}
		for _, o := range fl.tracked(ev.identObjs) {
			s.add(inFact{obj: o, idx: ev.idx, site: &site{ev: ev, ident: true}})
		}
	case rules.Read:
		for _, o := range fl.tracked(ev.objs) {
			s.add(inFact{obj: o, idx: ev.idx, site: &site{ev: ev, read: true}})
			// What is read now is another instance than the one closed
			// before: a range's element, read on each iteration.
			s.closed = slices.DeleteFunc(s.closed, func(c closeRec) bool { return c.obj == o })
			s.keyOK = false
		}
	case rules.Delete:
		if ev.byKey {
			fl.replace(s, ev)
			return
		}
		fl.delete(s, ev, obs)
	case rules.Free:
		for i := range ev.before {
			fl.delete(s, &ev.before[i], obs)
		}
		for _, o := range fl.tracked(ev.objs) {
			if !s.isKept(o) {
				fl.free(s, o, ev, obs, deferAt)
			}
		}
	case rules.Close:
		for i := range ev.before {
			fl.delete(s, &ev.before[i], obs)
		}
		for _, o := range fl.tracked(ev.objs) {
			if !s.isKept(o) {
				fl.close(s, closeRec{obj: o, ev: ev, deferAt: deferAt, held: s.heldBy(o)}, obs)
			}
		}
	case rules.Keep:
		for _, o := range fl.tracked(ev.objs) {
			s.keep(o)
			if obs != nil {
				obs.kept(o, ev)
			}
		}
	}
}

// close opens the obligation that c.obj leave its indexes before the path
// leaves the function. A goroutine's close is one too, reported at its go
// statement: the deletes the goroutine makes are applied there, and the
// function that starts it may still delete the object, or reset the
// index, afterwards (m.groups = fresh, after stopping the old groups).
func (fl *flow) close(s *state, c closeRec, obs observer) {
	s.close(c)
}

// checkClose reports each index that this function can see still holding
// the object c closed. An insert made by the very call that closes (on
// another of its paths) is the callee's to check: it saw both.
func (fl *flow) checkClose(s *state, c closeRec, obs observer) {
	for _, f := range s.facts {
		if f.obj != c.obj || !fl.fe.closeChecked(f.idx) || !slices.Contains(c.held, f.idx) {
			continue
		}
		if sameCall(f.site.ev, c.ev) {
			continue
		}
		obs.closedDefect(f, c)
	}
}

// sameCall reports whether two events come from one call: a callee that
// inserts on one path and ends the object on another has checked both
// itself; its flattened summary must not pair them.
func sameCall(a, b *event) bool {
	return a.cs != nil && b.cs != nil && a.cs.common == b.cs.common
}

// checkCloses reports, where a path leaves the function, each closed
// object still in an index that this function can see.
func (fl *flow) checkCloses(s *state, obs observer) {
	for _, c := range s.closed {
		fl.checkClose(s, c, obs)
	}
}

func (fl *flow) replace(s *state, ev *event) {
	s.remove(func(f inFact) bool {
		return f.idx == ev.idx && f.site.ev.key != nil && f.site.ev.key == ev.key
	})
}

func (fl *flow) delete(s *state, ev *event, obs observer) {
	if ev.objs == nil {
		s.remove(func(f inFact) bool { return f.idx == ev.idx })
		s.recordDelete(delRec{obj: -1, idx: ev.idx, ev: ev})
		if obs != nil {
			obs.deleted(-1, ev)
		}
		return
	}
	for _, o := range ev.objs {
		s.remove(func(f inFact) bool { return f.obj == o && (ev.idx == anyIndex || f.idx == ev.idx) })
		s.recordDelete(delRec{obj: o, idx: ev.idx, ev: ev})
		if obs != nil {
			obs.deleted(o, ev)
		}
	}
}

func (fl *flow) free(s *state, o int, ev *event, obs observer, deferAt token.Pos) {
	if obs != nil {
		for _, f := range s.facts {
			if f.obj == o && !f.site.ident && !sameCall(f.site.ev, ev) { // a key naming freed memory points at nothing
				obs.defect(f, ev, deferAt)
			}
		}
		obs.freed(s, o, ev)
	}
	s.remove(func(f inFact) bool { return f.obj == o })
}
