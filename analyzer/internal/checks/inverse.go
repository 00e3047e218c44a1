package checks

import (
	"go/token"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
)

// Inverse is the partial check on relations kept in both directions. A
// function that stores m1[a][b] and m2[b][a] with the same a and b keeps
// one relation in two nested maps (promises by message, then peer;
// peerPromises by peer, then message): a pair must leave both. Removing
// every pair under a from m1 (delete(m1, a)) leaves m2's pairs unless the
// function also deletes a from m2's inner maps; removing the pair
// (delete(m1[a], b)) leaves it unless it also deletes m2[b][a], or all of
// m2[b]. A function deviates when one of its removals from either map has
// no counterpart in the other; it agrees when all have one.
//
// Ranking, as for groups: the deviating removals are reported where at
// least one function agrees and the agreeing functions are at least as
// many as the deviating ones.

// RelPair is two nested maps holding one relation in opposite directions,
// and the insert that shows it.
type RelPair struct {
	A, B facts.IndexID
	From *ssa.Function // the function that stores both
	Pos  token.Pos     // its store into A
}

// InverseReporter receives the relation check's defects.
type InverseReporter interface {
	// Inverse: fn removes pairs from one map of p at rm, and leaves them
	// in the other (other), while agree remove them from both.
	Inverse(fn *ssa.Function, rm events.RelRemoval, other facts.IndexID, p RelPair, agree []*ssa.Function)
	ReverseReporter
}

// InversePairs returns the pairs of nested maps the functions of all
// store one relation in, both ways.
func InversePairs(all []*events.Relations) []RelPair {
	var out []RelPair
	for _, rs := range all {
		for i, x := range rs.Inserts {
			for _, y := range rs.Inserts[i+1:] {
				if x.Idx == y.Idx || x.Outer != y.Inner || x.Inner != y.Outer {
					continue
				}
				p := RelPair{A: x.Idx, B: y.Idx, From: rs.Fn, Pos: x.Pos}
				if !slices.ContainsFunc(out, func(q RelPair) bool { return q.same(p) }) {
					out = append(out, p)
				}
			}
		}
	}
	return out
}

func (p RelPair) same(q RelPair) bool {
	return p.A == q.A && p.B == q.B || p.A == q.B && p.B == q.A
}

// other returns the map of p that is not id, if id is one of them.
func (p RelPair) other(id facts.IndexID) (facts.IndexID, bool) {
	switch id {
	case p.A:
		return p.B, true
	case p.B:
		return p.A, true
	}
	return facts.IndexID{}, false
}

// Inverse judges the removals of all against the pairs.
func Inverse(all []*events.Relations, pairs []RelPair, rep InverseReporter) {
	for _, p := range pairs {
		var agree, deviate []*events.Relations
		var unmatched [][]events.RelRemoval
		for _, rs := range all {
			touched, missing := judgeRelation(rs, p)
			switch {
			case !touched:
			case len(missing) == 0:
				agree = append(agree, rs)
			default:
				deviate = append(deviate, rs)
				unmatched = append(unmatched, missing)
			}
		}
		if len(agree) == 0 || len(agree) < len(deviate) {
			continue
		}
		fns := make([]*ssa.Function, len(agree))
		for i, rs := range agree {
			fns[i] = rs.Fn
		}
		for i, rs := range deviate {
			for _, rm := range unmatched[i] {
				other, _ := p.other(rm.Idx)
				rep.Inverse(rs.Fn, rm, other, p, fns)
			}
		}
	}
}

// judgeRelation says whether rs removes pairs from either map of p, and
// which of those removals have no counterpart in the other map.
func judgeRelation(rs *events.Relations, p RelPair) (touched bool, missing []events.RelRemoval) {
	for _, rm := range rs.Removals {
		other, ok := p.other(rm.Idx)
		if !ok {
			continue
		}
		touched = true
		if !slices.ContainsFunc(rs.Removals, func(c events.RelRemoval) bool { return c.Idx == other && counterpart(rm, c) }) {
			missing = append(missing, rm)
		}
	}
	return touched, missing
}

// counterpart reports whether c, a removal from the other map, takes out
// what rm takes out of its map: for delete(m1, a), a delete of a from
// m2's inner maps; for delete(m1[a], b), a delete of a from m2[b] (or
// from any inner map of m2), or of all of m2[b].
func counterpart(rm, c events.RelRemoval) bool {
	if rm.Inner == nil {
		return c.Inner != nil && c.Inner == rm.Outer
	}
	if c.Inner == nil {
		return c.Outer == rm.Inner
	}
	return c.Inner == rm.Outer && (c.Outer == nil || c.Outer == rm.Inner)
}

// A reverse index (byID[t.id] = name, stored with topics[name] = t) is the
// same kind of relation, on an attribute of the entry. Functions that
// delete an entry and its reverse entry together show that they leave
// together; a store of a new entry under a key that may hold one already
// (the function does not look the key up first) replaces the old entry,
// and leaves its attribute in the reverse index (a recreated topic, back
// under a new id). Ranked as above: reported where the functions removing
// both are at least one and at least as many as the replacing stores.

// RevPair is an index and its reverse index on a field of its entries.
type RevPair struct {
	M1, M2 facts.IndexID
	Field  int
}

// ReverseReporter receives the reverse-index defects.
type ReverseReporter interface {
	// Replaced: st stores a new entry of p.M1 under a key that may hold
	// one, and leaves the old entry's attribute in p.M2, while agree
	// remove both.
	Replaced(fn *ssa.Function, st events.RevStore, agree []*ssa.Function)
}

// ReverseIndexes judges the replacing stores of all against the
// functions that remove entries and reverse entries together.
func ReverseIndexes(all []*events.Reverse, rep ReverseReporter) {
	removers := make(map[RevPair][]*ssa.Function)
	for _, r := range all {
		for _, rm := range r.Removals {
			p := RevPair{rm.M1, rm.M2, rm.Field}
			if !slices.Contains(removers[p], r.Fn) {
				removers[p] = append(removers[p], r.Fn)
			}
		}
	}
	type replacing struct {
		fn *ssa.Function
		st events.RevStore
	}
	deviating := make(map[RevPair][]replacing)
	var order []RevPair // deterministic reports
	for _, r := range all {
		for _, st := range r.Stores {
			if st.LooksUp {
				continue
			}
			p := RevPair{st.M1, st.M2, st.Field}
			if _, seen := deviating[p]; !seen {
				order = append(order, p)
			}
			deviating[p] = append(deviating[p], replacing{r.Fn, st})
		}
	}
	for _, p := range order {
		devs := deviating[p]
		agree := removers[p]
		if len(agree) == 0 || len(agree) < len(devs) {
			continue
		}
		for _, d := range devs {
			rep.Replaced(d.fn, d.st, agree)
		}
	}
}
