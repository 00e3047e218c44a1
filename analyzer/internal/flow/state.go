package flow

import (
	"go/token"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
)

// InFact says object obj is in index idx, put there at site.
type InFact struct {
	Obj, Idx int
	Site     *Site
}

// Site is where an object entered an index, as the report shows it.
type Site struct {
	Ev    *events.Event // the insert or read
	Read  bool
	Ident bool // stored under its identity (a key), not as a pointer
	// Seeded says the fact was there when the function began: a
	// parameter its close path must delete (events.Seed), not an insert.
	Seeded bool
}

// DelRec records a delete of obj (or of every object, -1) from idx (or
// from every index, anyIndex), for the summary of a free.
type DelRec struct {
	Obj, Idx int
	Ev       *events.Event
}

// UndoRec records that obj, put into idx by Ins, left it again by Del on
// the paths of a state: the evidence of the undo check.
type UndoRec struct {
	Obj, Idx int
	Ins, Del *events.Event
}

// CloseRec records that obj was closed by ev on the paths of a state: it
// must leave its indexes before they leave the function.
type CloseRec struct {
	Obj     int
	Ev      *events.Event
	DeferAt token.Pos // the defer statement of a deferred close
	// Held are the indexes that held the object when it was closed: they
	// must let it go. An insert after the close is another matter (a dead
	// object registered), which this check leaves alone: a callee that
	// closes only on failure is usually followed by a test of the object.
	Held []int
	// Maybe says the close may not have happened (a callee's maybe-close):
	// it makes no report, and excuses what a close excuses.
	Maybe bool
}

// State is one abstract state of property simulation: the set of
// (object, index) facts that are In, the objects closed and kept, with
// what is known about the paths that led to it. Facts, closes and keeps
// are kept sorted by object; states are copied on write.
type State struct {
	Facts   []InFact   // the (object, index) facts that are In
	Closed  []CloseRec // the objects closed, whose obligations are open
	kept    []int      // objects handed over for good: their ends are not checked
	Conds   *CondList  // the branch conditions known on the paths
	Deleted []DelRec   // the deletes on the paths, for the summary of a free
	Undone  []UndoRec  // the inserts deleted again on the paths, for the undo check
	defers  []*ssa.Defer
	keyMemo string // the key, when keyOK
	keyOK   bool
}

const (
	maxStates  = 16 // states per block (per run of objects) before they are widened into one
	maxConds   = 16 // branch conditions remembered per state
	MaxDeleted = 32 // deletes recorded per state; past it, a summary cannot tell which were made
	maxUndone  = 32
)

func (s *State) clone() *State {
	return &State{
		Facts:   slices.Clone(s.Facts),
		Closed:  slices.Clone(s.Closed),
		kept:    slices.Clone(s.kept),
		Conds:   s.Conds,
		Deleted: slices.Clone(s.Deleted),
		Undone:  slices.Clone(s.Undone),
		defers:  slices.Clone(s.defers),
		keyMemo: s.keyMemo,
		keyOK:   s.keyOK,
	}
}

// key is the property state: states with equal keys are merged.
func (s *State) key() string {
	if s.keyOK {
		return s.keyMemo
	}
	var b strings.Builder
	for _, f := range s.Facts {
		b.WriteString(strconv.Itoa(f.Obj))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(f.Idx))
		if f.Site.Ev.Key != nil {
			// Under which key: one map holding the object under two keys,
			// each put in on its own branch, is two properties, whose
			// paths must not be merged into one.
			b.WriteByte('@')
			b.WriteString(strconv.Itoa(int(f.Site.Ev.Pos)))
		}
		b.WriteByte(' ')
	}
	for _, c := range s.Closed {
		b.WriteString("c")
		b.WriteString(strconv.Itoa(c.Obj))
		b.WriteByte(' ')
	}
	for _, k := range s.kept {
		b.WriteString("k")
		b.WriteString(strconv.Itoa(k))
		b.WriteByte(' ')
	}
	for _, d := range s.defers {
		b.WriteString("d")
		b.WriteString(strconv.Itoa(int(d.Pos())))
		b.WriteByte(' ')
	}
	s.keyMemo, s.keyOK = b.String(), true
	return s.keyMemo
}

// withCond returns a copy of s that also knows c; the copy shares s's
// facts, so neither may change them in place.
func (s *State) withCond(c model.Cond) *State {
	t := *s
	t.Conds = s.Conds.push(c)
	return &t
}

func (s *State) pushDefer(d *ssa.Defer) {
	if !slices.Contains(s.defers, d) {
		s.defers = append(s.defers, d)
		s.keyOK = false
	}
}

func (s *State) find(obj, idx int) (int, bool) {
	return slices.BinarySearchFunc(s.Facts, InFact{Obj: obj, Idx: idx}, cmpFact)
}

func cmpFact(a, b InFact) int {
	if a.Obj != b.Obj {
		return a.Obj - b.Obj
	}
	return a.Idx - b.Idx
}

// Add records f, keeping the first insert of an object into an index (a
// later read, or a pointer after a key, names the site instead).
func (s *State) Add(f InFact) {
	if f.Site == nil {
		panic("internal error: a fact without the site that put it in its index")
	}
	i, ok := s.find(f.Obj, f.Idx)
	if ok {
		old := s.Facts[i].Site
		if f.Site.Read && old.Read || old.Ident && !f.Site.Ident {
			s.Facts[i].Site = f.Site // read again: the report names the nearest read; a pointer beats a key
		}
		return // keep the first insert
	}
	s.Facts = slices.Insert(s.Facts, i, f)
	s.keyOK = false
}

// remove drops the facts for which drop is true.
func (s *State) remove(drop func(InFact) bool) {
	n := len(s.Facts)
	s.Facts = slices.DeleteFunc(s.Facts, drop)
	if len(s.Facts) != n {
		s.keyOK = false
	}
}

// undo drops the facts for which drop is true, recording that del took
// each insert back.
func (s *State) undo(drop func(InFact) bool, del *events.Event) {
	s.remove(func(f InFact) bool {
		if drop(f) {
			s.recordUndo(f, del)
			return true
		}
		return false
	})
}

func (s *State) recordDelete(d DelRec) {
	for _, e := range s.Deleted {
		if e.Obj == d.Obj && e.Idx == d.Idx {
			return
		}
	}
	if len(s.Deleted) < MaxDeleted {
		s.Deleted = append(s.Deleted, d)
	}
}

// recordUndo notes that the insert of f was deleted again by del.
func (s *State) recordUndo(f InFact, del *events.Event) {
	if f.Site.Read || f.Site.Seeded {
		return // read, not put in, here
	}
	u := UndoRec{Obj: f.Obj, Idx: f.Idx, Ins: f.Site.Ev, Del: del}
	for _, e := range s.Undone {
		if e.Obj == u.Obj && e.Idx == u.Idx && e.Ins == u.Ins {
			return
		}
	}
	if len(s.Undone) < maxUndone {
		s.Undone = append(s.Undone, u)
	}
}

// condValue returns what is known of a condition on this state's paths.
func (s *State) condValue(key any) (val, known bool) {
	return s.Conds.Value(key)
}

// join merges t into s, which has the same key: what is known of the
// conditions is what both know; deletes are those of either.
func (s *State) join(t *State) (changed bool) {
	agree := func(c model.Cond) bool {
		v, ok := t.condValue(c.Key)
		return ok && v == c.Val
	}
	if !s.Conds.all(agree) {
		s.Conds = s.Conds.keep(agree, maxConds)
		changed = true
	}
	for _, d := range t.Deleted {
		n := len(s.Deleted)
		s.recordDelete(d)
		changed = changed || len(s.Deleted) != n
	}
	for _, u := range t.Undone {
		n := len(s.Undone)
		s.recordUndo(InFact{Obj: u.Obj, Idx: u.Idx, Site: &Site{Ev: u.Ins}}, u.Del)
		changed = changed || len(s.Undone) != n
	}
	return changed
}

// widen merges t into s when the states per block overflow: a fact is In
// if it is In on either (may-In), an object is closed if it is closed on
// either, and kept only if kept on both. The merge loses the correlation
// between facts and conditions, so it may report where the paths were
// consistent, but it never drops a report.
func (s *State) widen(t *State) (changed bool) {
	n, nc, nk, nd := len(s.Facts), len(s.Closed), len(s.kept), len(s.defers)
	for _, f := range t.Facts {
		s.Add(f)
	}
	for _, c := range t.Closed {
		s.close(c)
	}
	s.kept = slices.DeleteFunc(s.kept, func(o int) bool { return !slices.Contains(t.kept, o) })
	for _, d := range t.defers {
		s.pushDefer(d)
	}
	changed = len(s.Facts) != n || len(s.Closed) != nc || len(s.kept) != nk || len(s.defers) != nd
	if changed {
		s.keyOK = false
	}
	t2 := *t
	t2.defers = nil
	return s.join(&t2) || changed
}

// close records that c.obj is closed, keeping the first close on the path
// and every index that held the object at one of its closes.
func (s *State) close(c CloseRec) {
	i, found := slices.BinarySearchFunc(s.Closed, c.Obj, func(r CloseRec, o int) int { return r.Obj - o })
	if !found {
		s.Closed = slices.Insert(s.Closed, i, c)
		s.keyOK = false
		return
	}
	old := s.Closed[i]
	old.Maybe = old.Maybe && c.Maybe // a sure close on the path makes it sure
	for _, h := range c.Held {
		if !slices.Contains(old.Held, h) {
			old.Held = append(slices.Clone(old.Held), h)
		}
	}
	s.Closed[i] = old
}

// heldBy returns the indexes holding obj in s.
func (s *State) heldBy(obj int) []int {
	var out []int
	for _, f := range s.Facts {
		if f.Obj == obj {
			out = append(out, f.Idx)
		}
	}
	return out
}

// keep records that o is handed over for good.
func (s *State) keep(o int) {
	i, found := slices.BinarySearch(s.kept, o)
	if !found {
		s.kept = slices.Insert(s.kept, i, o)
		s.keyOK = false
	}
}

func (s *State) isKept(o int) bool {
	_, found := slices.BinarySearch(s.kept, o)
	return found
}
