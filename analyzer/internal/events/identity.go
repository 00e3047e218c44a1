package events

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// An object is in an index under its identity when the key it is stored
// under is one of its own fields (m[s.id] = x), or the key it is stored
// under in another index of the same function (streams[id] = s;
// inflight[id] = struct{}{} puts s in both). A delete by that key deletes
// it, as every delete by key does.

// keyOwners returns the objects whose field key is (s for s.id), other
// than those stored. A key is an identity only when it is a plain value (a
// string, a number, an array such as a UUID) and the map's entries cannot
// hold the object itself: in map[addr][]*Conn the key groups conns, and
// the entry under c.addr is other conns' as much as c's.
func (fe *FnEvents) keyOwners(mapv, key ssa.Value, stored []int) []int {
	mt, ok := mapv.Type().Underlying().(*types.Map)
	if !ok || !plainKey(key.Type()) {
		return nil
	}
	ld, ok := model.Strip(key).(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return nil
	}
	fa, ok := ld.X.(*ssa.FieldAddr)
	if !ok {
		return nil
	}
	if canHold(mt.Elem(), fa.X.Type()) {
		return nil
	}
	owners := fe.mapOwners(mapv)
	var out []int
	for _, o := range fe.M.Objects(fa.X) {
		// kr.dataKeys[kr.nextKeyID] = dk: a counter of the map's own
		// owner is no identity of the owner.
		if !slices.Contains(stored, o) && !slices.Contains(owners, o) {
			out = append(out, o)
		}
	}
	return out
}

// shareKeys gives each insert that stores no object of its own the
// objects stored under the same key by the function's other inserts.
func (fe *FnEvents) shareKeys() {
	byKey := make(map[any][]int)
	for _, evs := range fe.At {
		for _, ev := range evs {
			if ev.Kind == rules.Insert && ev.KeyVal != nil && len(ev.Objs)+len(ev.IdentObjs) > 0 && identityKey(ev.Key) {
				byKey[ev.Key] = model.AddSet(model.AddSet(byKey[ev.Key], ev.Objs...), ev.IdentObjs...)
			}
		}
	}
	if len(byKey) == 0 {
		return
	}
	for _, evs := range fe.At {
		for i := range evs {
			ev := &evs[i]
			if ev.Kind == rules.Insert && ev.KeyVal != nil && len(ev.Objs) == 0 && len(ev.IdentObjs) == 0 && identityKey(ev.Key) {
				ev.IdentObjs = byKey[ev.Key]
			}
		}
	}
}

// identityKey reports whether a key can name one object: not a constant.
func identityKey(k any) bool {
	return k != nil && !model.IsConstKey(k)
}

// plainKey reports whether keys of type t can be an identity: a basic
// value or an array of them.
func plainKey(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return true
	case *types.Array:
		_, basic := u.Elem().Underlying().(*types.Basic)
		return basic
	}
	return false
}

// canHold reports whether a map entry of type elem can hold a value of
// type obj, or a container of them.
func canHold(elem, obj types.Type) bool {
	switch u := elem.Underlying().(type) {
	case *types.Slice:
		return canHold(u.Elem(), obj)
	case *types.Map:
		return canHold(u.Elem(), obj) || canHold(u.Key(), obj)
	case *types.Pointer:
		if types.AssignableTo(obj, elem) {
			return true
		}
	case *types.Interface:
		return types.AssignableTo(obj, elem)
	}
	return types.AssignableTo(obj, elem)
}

// clearLoop: for k := range m { ...; delete(m, k) } with the delete on
// every iteration empties m, as clear(m) does. The delete of every object
// is placed at the loop head, where the loop leaves when m is empty.
func (fe *FnEvents) clearLoop(next *ssa.Next) []Event {
	r, ok := next.Iter.(*ssa.Range)
	if !ok || next.IsString || !fe.rules.MapKind() {
		return nil
	}
	id, ok := fe.M.IndexOf(r.X)
	if !ok {
		return nil
	}
	var key ssa.Value
	for _, ref := range *next.Referrers() {
		if ex, ok := ref.(*ssa.Extract); ok && ex.Index == 1 {
			key = ex
		}
	}
	if key == nil {
		return nil
	}
	for _, ref := range *key.Referrers() {
		call, ok := ref.(*ssa.Call)
		if !ok || len(call.Call.Args) != 2 {
			continue
		}
		if b, ok := call.Call.Value.(*ssa.Builtin); !ok || b.Name() != "delete" {
			continue
		}
		if did, ok := fe.M.IndexOf(call.Call.Args[0]); ok && did == id && onEveryIteration(call.Block(), next.Block()) {
			return []Event{{Kind: rules.Delete, Idx: fe.index(id), Pos: call.Pos()}}
		}
	}
	return nil
}

// onEveryIteration reports whether block b runs on every iteration of the
// loop whose head is head: it dominates each back edge's source.
func onEveryIteration(b, head *ssa.BasicBlock) bool {
	back := false
	for _, p := range head.Preds {
		if head.Dominates(p) {
			back = true
			if !b.Dominates(p) {
				return false
			}
		}
	}
	return back
}

// mapOwners returns the objects whose field the map value was loaded from.
func (fe *FnEvents) mapOwners(mapv ssa.Value) []int {
	ld, ok := model.Strip(mapv).(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return nil
	}
	if fa, ok := ld.X.(*ssa.FieldAddr); ok {
		return fe.M.Objects(fa.X)
	}
	return nil
}
