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

// FindRelations returns what fn stores in and removes from nested maps.
// Deleting an inner map that the function has found empty (if
// len(set) == 0 { delete(m, k) }) removes no pair, and is left out.
func FindRelations(fn *ssa.Function) *Relations {
	rs := &Relations{Fn: fn}
	var lens []ssa.Value // the arguments of len: maps found empty
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.MapUpdate:
				if idx, outer, ok := innerMapOf(x.Map, 0); ok && outer != nil {
					rs.Inserts = append(rs.Inserts, RelInsert{Idx: idx, Outer: outer, Inner: model.Strip(x.Key), Pos: x.Pos()})
				}
			case *ssa.Call:
				bi, ok := x.Call.Value.(*ssa.Builtin)
				if !ok {
					continue
				}
				switch bi.Name() {
				case "len":
					lens = append(lens, x.Call.Args[0])
				case "delete":
					if r, ok := relRemoval(x); ok {
						rs.Removals = append(rs.Removals, r)
					}
				}
			}
		}
	}
	if len(rs.Removals) > 0 && len(lens) > 0 {
		kept := rs.Removals[:0]
		for _, r := range rs.Removals {
			if r.Inner != nil || !foundEmpty(lens, r) {
				kept = append(kept, r)
			}
		}
		rs.Removals = kept
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
	case *ssa.Lookup:
		if id, ok := model.DirectIndex(x.X); ok && nestedMap(x.X.Type()) {
			return id, model.Strip(x.Index), true
		}
	case *ssa.Extract:
		switch t := x.Tuple.(type) {
		case *ssa.Lookup:
			if x.Index == 0 {
				return innerMapOf(t, depth)
			}
		case *ssa.Next:
			if rg, ok := t.Iter.(*ssa.Range); ok && x.Index == 2 {
				if id, ok := model.DirectIndex(rg.X); ok && nestedMap(rg.X.Type()) {
					return id, rangeKey(t), true
				}
			}
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
