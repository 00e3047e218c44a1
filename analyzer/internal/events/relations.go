package events

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
)

// A relation between two kinds of keys is often kept in two nested maps,
// one the other read backwards: promises[msg][peer] and
// peerPromises[peer][msg]. Relations reads, without the dataflow, what a
// function stores in and removes from such maps (a map field or
// package-level map whose values are maps): the evidence with which the
// partial check compares the two directions.

// Relations is what one function does to the pairs of nested maps.
type Relations struct {
	Fn       *ssa.Function
	Inserts  []RelInsert
	Removals []RelRemoval
}

// RelInsert is m[Outer][Inner] = v, m the index Idx.
type RelInsert struct {
	Idx          facts.IndexID
	Outer, Inner ssa.Value
	Pos          token.Pos
}

// RelRemoval is delete(m, Outer) (Inner nil: every pair under Outer) or
// delete(m[Outer], Inner) (Outer nil when the inner map came from a range
// whose key is unused), m the index Idx.
type RelRemoval struct {
	Idx          facts.IndexID
	Outer, Inner ssa.Value
	Pos          token.Pos
	Call         *ssa.CallCommon // the delete
}

// mapOps are the map operations of one function, read in one walk for
// both kinds of relation: stores, lookups, deletes, and the maps whose
// length it takes.
type mapOps struct {
	updates []*ssa.MapUpdate
	lookups []*ssa.Lookup
	deletes []*ssa.Call
	lens    []ssa.Value
}

func scanMapOps(fn *ssa.Function) mapOps {
	var ops mapOps
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.MapUpdate:
				ops.updates = append(ops.updates, x)
			case *ssa.Lookup:
				ops.lookups = append(ops.lookups, x)
			case *ssa.Call:
				if bi, ok := x.Call.Value.(*ssa.Builtin); ok {
					switch bi.Name() {
					case "len":
						ops.lens = append(ops.lens, x.Call.Args[0])
					case "delete":
						ops.deletes = append(ops.deletes, x)
					}
				}
			}
		}
	}
	return ops
}

// FindRelations returns what fn stores in and removes from nested maps,
// and from an index and its reverse index (see Reverse), in one walk.
func FindRelations(fn *ssa.Function) (*Relations, *Reverse) {
	ops := scanMapOps(fn)
	return findNested(fn, ops), findReverse(fn, ops)
}

// findNested reads the stores and removals of nested maps. Deleting an
// inner map that the function has found empty (if len(set) == 0 {
// delete(m, k) }) removes no pair, and is left out.
func findNested(fn *ssa.Function, ops mapOps) *Relations {
	rs := &Relations{Fn: fn}
	for _, x := range ops.updates {
		if idx, outer, ok := innerMapOf(x.Map, 0); ok && outer != nil {
			rs.Inserts = append(rs.Inserts, RelInsert{Idx: idx, Outer: outer, Inner: model.Strip(x.Key), Pos: x.Pos()})
		}
	}
	for _, x := range ops.deletes {
		if r, ok := relRemoval(x); ok && (r.Inner != nil || !foundEmpty(ops.lens, r)) {
			rs.Removals = append(rs.Removals, r)
		}
	}
	return rs
}

// relRemoval reads delete(m, k) as a removal of pairs.
func relRemoval(call *ssa.Call) (RelRemoval, bool) {
	m, k := call.Call.Args[0], model.Strip(call.Call.Args[1])
	if id, ok := model.DirectIndex(m); ok && nestedMap(m.Type()) {
		return RelRemoval{Idx: id, Outer: k, Pos: call.Pos(), Call: &call.Call}, true
	}
	if id, outer, ok := innerMapOf(m, 0); ok {
		return RelRemoval{Idx: id, Outer: outer, Inner: k, Pos: call.Pos(), Call: &call.Call}, true
	}
	return RelRemoval{}, false
}

// foundEmpty reports whether the function took the length of the inner
// map that the outer delete r drops.
func foundEmpty(lens []ssa.Value, r RelRemoval) bool {
	for _, v := range lens {
		if id, outer, ok := innerMapOf(v, 0); ok && id == r.Idx && outer == r.Outer {
			return true
		}
	}
	return false
}

// nestedMap reports whether t is a map whose values are maps.
func nestedMap(t types.Type) bool {
	m, ok := t.Underlying().(*types.Map)
	if !ok {
		return false
	}
	_, inner := m.Elem().Underlying().(*types.Map)
	return inner
}

// maxRelDepth bounds the phis innerMapOf looks through.
const maxRelDepth = 4

// innerMapOf returns the nested-map index and the outer key of v, an
// inner map: looked up (m[k], with or without ok), ranged over (for k,
// set := range m; the key nil when unused), made and stored there
// (set = make(...); m[k] = set), or a phi of those under one key.
func innerMapOf(v ssa.Value, depth int) (facts.IndexID, ssa.Value, bool) {
	switch x := model.Strip(v).(type) {
	case *ssa.Lookup, *ssa.Extract:
		if _, isMap := x.Type().Underlying().(*types.Map); isMap {
			return entryOf(x) // an entry of a map of maps
		}
	case *ssa.MakeMap:
		for _, r := range *x.Referrers() {
			if up, ok := r.(*ssa.MapUpdate); ok && up.Value == x {
				if id, ok := model.DirectIndex(up.Map); ok && nestedMap(up.Map.Type()) {
					return id, model.Strip(up.Key), true
				}
			}
		}
	case *ssa.Phi:
		if depth >= maxRelDepth {
			break
		}
		var id facts.IndexID
		var key ssa.Value
		found := false
		for _, e := range x.Edges {
			if c, ok := e.(*ssa.Const); ok && c.IsNil() {
				continue
			}
			eid, ekey, ok := innerMapOf(e, depth+1)
			if !ok || found && (eid != id || ekey != key) {
				return facts.IndexID{}, nil, false
			}
			id, key, found = eid, ekey, true
		}
		return id, key, found
	}
	return facts.IndexID{}, nil, false
}

// rangeKey returns the key a range step yields, or nil when unused.
func rangeKey(n *ssa.Next) ssa.Value {
	for _, r := range *n.Referrers() {
		if ex, ok := r.(*ssa.Extract); ok && ex.Index == 1 {
			return ex
		}
	}
	return nil
}

// A reverse index maps an attribute of an entry back to the entry's key:
// topics[name] = t and byID[t.id] = name. The entry and its reverse
// entry must leave together, and storing a new entry under a key that
// held one (a recreated topic, with a new id) must first take the old
// entry's attribute out of the reverse index.

// RevStore is m1[k] = v stored with m2[v.f] = k in one function.
type RevStore struct {
	M1, M2 facts.IndexID
	Field  int // the field f of v
	Store  *ssa.MapUpdate
	// LooksUp says the function also looks up m1 under k: it reads the
	// entry it may replace (to take its attribute out, or to store only
	// when there is none).
	LooksUp bool
}

// RevRemoval is delete(m1, k) with delete(m2, e.f), e the entry of m1
// under k.
type RevRemoval struct {
	M1, M2 facts.IndexID
	Field  int
}

// Reverse is what one function does to entries and their reverse entries.
type Reverse struct {
	Fn       *ssa.Function
	Stores   []RevStore
	Removals []RevRemoval
}

// findReverse reads the stores and removals of fn that keep or take out
// an entry and its reverse entry.
func findReverse(fn *ssa.Function, all mapOps) *Reverse {
	r := &Reverse{Fn: fn}
	var ups []*ssa.MapUpdate
	for _, x := range all.updates {
		if _, ok := model.DirectIndex(x.Map); ok {
			ups = append(ups, x)
		}
	}
	var dels []*ssa.Call
	for _, x := range all.deletes {
		if _, ok := model.DirectIndex(x.Call.Args[0]); ok {
			dels = append(dels, x)
		}
	}
	lookups := all.lookups
	for _, u1 := range ups {
		for _, u2 := range ups {
			if u1 == u2 || !sameValue(u1.Key, u2.Value) {
				continue
			}
			f, ok := fieldHolding(u1.Value, u2.Key)
			if !ok {
				continue
			}
			m1, _ := model.DirectIndex(u1.Map)
			m2, _ := model.DirectIndex(u2.Map)
			r.Stores = append(r.Stores, RevStore{M1: m1, M2: m2, Field: f, Store: u1, LooksUp: lookedUpUnder(lookups, m1, u1.Key)})
		}
	}
	for _, d1 := range dels {
		m1, _ := model.DirectIndex(d1.Call.Args[0])
		for _, d2 := range dels {
			if d1 == d2 {
				continue
			}
			if f, ok := entryField(d2.Call.Args[1], m1, d1.Call.Args[1]); ok {
				m2, _ := model.DirectIndex(d2.Call.Args[0])
				r.Removals = append(r.Removals, RevRemoval{M1: m1, M2: m2, Field: f})
			}
		}
	}
	return r
}

// sameValue reports whether a and b are one value: the same SSA value,
// the same variable read twice, or the same field read of one value
// (topic.TopicID read twice). Stores between the reads are not looked
// for: a key and the value stored with it are read next to each other.
func sameValue(a, b ssa.Value) bool {
	a, b = model.Strip(a), model.Strip(b)
	if a == b {
		return true
	}
	switch x := a.(type) {
	case *ssa.Field:
		y, ok := b.(*ssa.Field)
		return ok && x.Field == y.Field && sameValue(x.X, y.X)
	case *ssa.UnOp:
		y, ok := b.(*ssa.UnOp)
		if !ok || x.Op != token.MUL || y.Op != token.MUL {
			return false
		}
		fx, okx := x.X.(*ssa.FieldAddr)
		fy, oky := y.X.(*ssa.FieldAddr)
		if okx && oky {
			return fx.Field == fy.Field && sameValue(fx.X, fy.X)
		}
		return x.X == y.X // a variable read twice (name, escaped to the heap)
	}
	return false
}

// fieldHolding returns the field of the struct v (built in the function:
// a composite literal, by value or by pointer) that was set to x.
func fieldHolding(v, x ssa.Value) (int, bool) { return fieldHoldingAt(v, x, 0) }

func fieldHoldingAt(v, x ssa.Value, depth int) (int, bool) {
	v = model.Strip(v)
	if ld, ok := v.(*ssa.UnOp); ok && ld.Op == token.MUL {
		v = ld.X
	}
	alloc, ok := v.(*ssa.Alloc)
	if !ok {
		return 0, false
	}
	for _, r := range *alloc.Referrers() {
		fa, ok := r.(*ssa.FieldAddr)
		if !ok {
			continue
		}
		for _, rr := range *fa.Referrers() {
			if st, ok := rr.(*ssa.Store); ok && st.Addr == fa && sameValue(st.Val, x) {
				return fa.Field, true
			}
		}
	}
	if w := storedOnce(alloc); w != nil && depth < maxRelDepth {
		return fieldHoldingAt(w, x, depth+1) // t := T{...}: the literal, copied into t
	}
	return 0, false
}

// entryField returns f where key is e.f, e an entry of m1 looked up or
// ranged over under k.
func entryField(key ssa.Value, m1 facts.IndexID, k ssa.Value) (int, bool) {
	var e ssa.Value
	var f int
	switch x := model.Strip(key).(type) {
	case *ssa.Field:
		e, f = x.X, x.Field
	case *ssa.UnOp:
		fa, ok := x.X.(*ssa.FieldAddr)
		if !ok || x.Op != token.MUL {
			return 0, false
		}
		e, f = fa.X, fa.Field // e is a pointer entry
	default:
		return 0, false
	}
	id, ek, ok := entryOf(e)
	return f, ok && id == m1 && ek != nil && sameValue(ek, k)
}

// entryOf returns the index and key of e, an entry looked up (m[k], with
// or without ok) or ranged over (for k, e := range m).
func entryOf(e ssa.Value) (facts.IndexID, ssa.Value, bool) {
	switch x := model.Strip(e).(type) {
	case *ssa.Alloc: // a struct entry copied into a variable whose fields are read
		if v := storedOnce(x); v != nil {
			return entryOf(v)
		}
	case *ssa.Lookup:
		id, ok := model.DirectIndex(x.X)
		return id, model.Strip(x.Index), ok
	case *ssa.Extract:
		switch t := x.Tuple.(type) {
		case *ssa.Lookup:
			if x.Index == 0 {
				return entryOf(t)
			}
		case *ssa.Next:
			if rg, ok := t.Iter.(*ssa.Range); ok && x.Index == 2 {
				id, ok := model.DirectIndex(rg.X)
				return id, rangeKey(t), ok
			}
		}
	}
	return facts.IndexID{}, nil, false
}

// lookedUpUnder reports whether one of lookups reads m1 under k.
func lookedUpUnder(lookups []*ssa.Lookup, m1 facts.IndexID, k ssa.Value) bool {
	for _, lk := range lookups {
		if id, ok := model.DirectIndex(lk.X); ok && id == m1 && sameValue(lk.Index, k) {
			return true
		}
	}
	return false
}

// storedOnce returns the one value stored whole into a local variable, or
// nil.
func storedOnce(a *ssa.Alloc) ssa.Value {
	var v ssa.Value
	for _, r := range *a.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == a {
			if v != nil {
				return nil
			}
			v = st.Val
		}
	}
	return v
}
