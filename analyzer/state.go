package analyzer

import (
	"go/token"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
)

// inFact says object obj is in index idx, put there at site.
type inFact struct {
	obj, idx int
	site     *site
}

// site is where an object entered an index, as the report shows it.
type site struct {
	ev    *events.Event // the insert or read
	read  bool
	ident bool // stored under its identity (a key), not as a pointer
}

// delRec records a delete of obj (or of every object, -1) from idx (or
// from every index, anyIndex), for the summary of a free.
type delRec struct {
	obj, idx int
	ev       *events.Event
}

// closeRec records that obj was closed by ev on the paths of a state: it
// must leave its indexes before they leave the function.
type closeRec struct {
	obj     int
	ev      *events.Event
	deferAt token.Pos // the defer statement of a deferred close
	// held are the indexes that held the object when it was closed: they
	// must let it go. An insert after the close is another matter (a dead
	// object registered), which this check leaves alone: a callee that
	// closes only on failure is usually followed by a test of the object.
	held []int
}

// state is one abstract state of property simulation: the set of
// (object, index) facts that are In, the objects closed and kept, with
// what is known about the paths that led to it. Facts, closes and keeps
// are kept sorted by object; states are copied on write.
type state struct {
	facts   []inFact
	closed  []closeRec
	kept    []int // objects handed over for good: their ends are not checked
	conds   *condList
	deleted []delRec
	defers  []*ssa.Defer
	keyMemo string // the key, when keyOK
	keyOK   bool
}

const (
	maxStates  = 16 // states per block (per run of objects) before they are widened into one
	maxConds   = 16 // branch conditions remembered per state
	maxDeleted = 32
)

func (s *state) clone() *state {
	return &state{
		facts:   slices.Clone(s.facts),
		closed:  slices.Clone(s.closed),
		kept:    slices.Clone(s.kept),
		conds:   s.conds,
		deleted: slices.Clone(s.deleted),
		defers:  slices.Clone(s.defers),
		keyMemo: s.keyMemo,
		keyOK:   s.keyOK,
	}
}

// key is the property state: states with equal keys are merged.
func (s *state) key() string {
	if s.keyOK {
		return s.keyMemo
	}
	var b strings.Builder
	for _, f := range s.facts {
		b.WriteString(strconv.Itoa(f.obj))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(f.idx))
		b.WriteByte(' ')
	}
	for _, c := range s.closed {
		b.WriteString("c")
		b.WriteString(strconv.Itoa(c.obj))
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
func (s *state) withCond(c model.Cond) *state {
	t := *s
	t.conds = s.conds.push(c)
	return &t
}

func (s *state) pushDefer(d *ssa.Defer) {
	if !slices.Contains(s.defers, d) {
		s.defers = append(s.defers, d)
		s.keyOK = false
	}
}

func (s *state) has(obj, idx int) bool {
	_, ok := s.find(obj, idx)
	return ok
}

func (s *state) find(obj, idx int) (int, bool) {
	return slices.BinarySearchFunc(s.facts, inFact{obj: obj, idx: idx}, cmpFact)
}

func cmpFact(a, b inFact) int {
	if a.obj != b.obj {
		return a.obj - b.obj
	}
	return a.idx - b.idx
}

func (s *state) add(f inFact) {
	if f.site == nil {
		panic("internal error: a fact without the site that put it in its index")
	}
	i, ok := s.find(f.obj, f.idx)
	if ok {
		old := s.facts[i].site
		if f.site.read && old.read || old.ident && !f.site.ident {
			s.facts[i].site = f.site // read again: the report names the nearest read; a pointer beats a key
		}
		return // keep the first insert
	}
	s.facts = slices.Insert(s.facts, i, f)
	s.keyOK = false
}

// remove drops the facts for which drop is true.
func (s *state) remove(drop func(inFact) bool) {
	n := len(s.facts)
	s.facts = slices.DeleteFunc(s.facts, drop)
	if len(s.facts) != n {
		s.keyOK = false
	}
}

func (s *state) recordDelete(d delRec) {
	for _, e := range s.deleted {
		if e.obj == d.obj && e.idx == d.idx {
			return
		}
	}
	if len(s.deleted) < maxDeleted {
		s.deleted = append(s.deleted, d)
	}
}

// condValue returns what is known of a condition on this state's paths.
func (s *state) condValue(key any) (val, known bool) {
	return s.conds.value(key)
}

// join merges t into s, which has the same key: what is known of the
// conditions is what both know; deletes are those of either.
func (s *state) join(t *state) (changed bool) {
	agree := func(c model.Cond) bool {
		v, ok := t.condValue(c.Key)
		return ok && v == c.Val
	}
	if !s.conds.all(agree) {
		s.conds = s.conds.keep(agree, maxConds)
		changed = true
	}
	for _, d := range t.deleted {
		n := len(s.deleted)
		s.recordDelete(d)
		changed = changed || len(s.deleted) != n
	}
	return changed
}

// widen merges t into s when the states per block overflow: a fact is In
// if it is In on either (may-In), an object is closed if it is closed on
// either, and kept only if kept on both. The merge loses the correlation
// between facts and conditions, so it may report where the paths were
// consistent, but it never drops a report.
func (s *state) widen(t *state) (changed bool) {
	n, nc, nk, nd := len(s.facts), len(s.closed), len(s.kept), len(s.defers)
	for _, f := range t.facts {
		s.add(f)
	}
	for _, c := range t.closed {
		s.close(c)
	}
	s.kept = slices.DeleteFunc(s.kept, func(o int) bool { return !slices.Contains(t.kept, o) })
	for _, d := range t.defers {
		s.pushDefer(d)
	}
	changed = len(s.facts) != n || len(s.closed) != nc || len(s.kept) != nk || len(s.defers) != nd
	if changed {
		s.keyOK = false
	}
	t2 := *t
	t2.defers = nil
	return s.join(&t2) || changed
}

// close records that c.obj is closed, keeping the first close on the path
// and every index that held the object at one of its closes.
func (s *state) close(c closeRec) {
	i, found := slices.BinarySearchFunc(s.closed, c.obj, func(r closeRec, o int) int { return r.obj - o })
	if !found {
		s.closed = slices.Insert(s.closed, i, c)
		s.keyOK = false
		return
	}
	old := s.closed[i]
	for _, h := range c.held {
		if !slices.Contains(old.held, h) {
			old.held = append(slices.Clone(old.held), h)
		}
	}
	s.closed[i] = old
}

// heldBy returns the indexes holding obj in s.
func (s *state) heldBy(obj int) []int {
	var out []int
	for _, f := range s.facts {
		if f.obj == obj {
			out = append(out, f.idx)
		}
	}
	return out
}

// keep records that o is handed over for good.
func (s *state) keep(o int) {
	i, found := slices.BinarySearch(s.kept, o)
	if !found {
		s.kept = slices.Insert(s.kept, i, o)
		s.keyOK = false
	}
}

func (s *state) isKept(o int) bool {
	_, found := slices.BinarySearch(s.kept, o)
	return found
}
