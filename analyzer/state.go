package analyzer

import (
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// inFact says object obj is in index idx, put there at site.
type inFact struct {
	obj, idx int
	site     *site
}

// site is where an object entered an index, as the report shows it.
type site struct {
	ev   *event // the insert or read
	read bool
}

// cond is a branch condition known on the paths a state stands for.
type cond struct {
	key any
	val bool
	at  *ssa.BasicBlock // the block whose If took it
}

// delRec records a delete of obj (or of every object, -1) from idx (or
// from every index, anyIndex), for the summary of a free.
type delRec struct {
	obj, idx int
	ev       *event
}

// state is one abstract state of property simulation: the set of
// (object, index) facts that are In, with what is known about the paths
// that led to it. Facts are kept sorted; states are copied on write.
type state struct {
	facts   []inFact
	conds   *condList
	deleted []delRec
	defers  []*ssa.Defer
	keyMemo string // the key, when keyOK
	keyOK   bool
}

const (
	maxStates  = 8  // states per block before they are merged into one
	maxConds   = 16 // branch conditions remembered per state
	maxDeleted = 32
)

func (s *state) clone() *state {
	return &state{
		facts:   slices.Clone(s.facts),
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
func (s *state) withCond(c cond) *state {
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
		if f.site.read && s.facts[i].site.read {
			s.facts[i].site = f.site // read again: the report names the nearest read
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
	agree := func(c cond) bool {
		v, ok := t.condValue(c.key)
		return ok && v == c.val
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

// meet merges t into s when the states per block overflow: a fact stays In
// only if it is In on both (must-In), so the merge can only make the
// checker quieter.
func (s *state) meet(t *state) (changed bool) {
	n, nd := len(s.facts), len(s.defers)
	s.remove(func(f inFact) bool { return !t.has(f.obj, f.idx) })
	for _, d := range t.defers {
		s.pushDefer(d)
	}
	changed = len(s.facts) != n || len(s.defers) != nd
	t2 := *t
	t2.defers = nil
	return s.join(&t2) || changed
}
