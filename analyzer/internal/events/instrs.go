package events

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// instrEvents returns the events of one instruction.
func (fe *FnEvents) instrEvents(instr ssa.Instruction) []Event {
	mapKind := fe.rules.MapKind()
	switch x := instr.(type) {
	case *ssa.MapUpdate:
		if mapKind {
			return fe.mapUpdate(x)
		}
	case *ssa.Lookup:
		if mapKind && !fe.snapshotOfReplaced(x.X, x) {
			evs := fe.read(x.X, fe.elemObjects(x.X), x.Pos(), x)
			for i := range evs {
				evs[i].Key = fe.keyIdentity(x.Index) // m[k] = other replaces what was read
			}
			return evs
		}
	case *ssa.Next:
		return fe.clearLoop(x)
	case *ssa.Extract:
		// A range reads its entries in the loop body, where the key and
		// value are extracted: not at the loop head, which also runs once
		// more when the map is exhausted.
		next, ok := x.Tuple.(*ssa.Next)
		if !ok || next.IsString || x.Index == 0 || !model.IsRef(x.Type()) || !mapKind {
			return nil
		}
		if r, ok := next.Iter.(*ssa.Range); ok && !fe.snapshotOfReplaced(r.X, next) {
			pos := next.Pos()
			if !pos.IsValid() {
				pos = r.Pos()
			}
			return fe.read(r.X, fe.elemObjects(r.X), pos, x)
		}
	case *ssa.Store:
		return fe.indexReplaced(x)
	case *ssa.UnOp:
		return fe.listValueRead(x)
	case *ssa.Call:
		return fe.callEvents(x.Common(), x, x.Pos())
	case *ssa.Defer:
		return fe.callEvents(x.Common(), x, x.Pos())
	case *ssa.Go:
		evs := fe.callEvents(x.Common(), x, x.Pos())
		for i := range evs {
			evs[i].Spawned = true
		}
		fe.noteDelegation(x, evs)
		return evs
	}
	return nil
}

// elemObjects are the objects an index map's lookups and range yield.
func (fe *FnEvents) elemObjects(mapv ssa.Value) []int {
	mt, ok := mapv.Type().Underlying().(*types.Map)
	if !ok {
		return nil
	}
	var objs []int
	if model.IsRef(mt.Elem()) || model.IsRef(mt.Key()) {
		objs = fe.M.Expand(fe.M.Extend(fe.M.RawObjects(mapv), facts.StepElem))
	}
	return objs
}

func (fe *FnEvents) read(index ssa.Value, objs []int, pos token.Pos, instr ssa.Instruction) []Event {
	id, ok := fe.M.IndexOf(index)
	if !ok || len(objs) == 0 {
		return nil
	}
	return []Event{{Kind: rules.Read, Objs: objs, Idx: fe.index(id), Pos: pos}}
}

// sliceElems returns the objects a slice value stored in a map holds, as
// far as this function stored them (m[k] = append(m[k], ch) puts ch in
// m): the elements it knows, not the element placeholders of slices it
// did not build.
func (fe *FnEvents) sliceElems(v ssa.Value) []int {
	st, ok := v.Type().Underlying().(*types.Slice)
	if !ok || !model.IsRef(st.Elem()) {
		return nil
	}
	slots := fe.M.Extend(fe.M.RawObjects(v), facts.StepElem)
	var out []int
	for _, o := range fe.M.Expand(slots) {
		if !slices.Contains(slots, o) && fe.M.Objs.Keys[o].Path == "" {
			out = append(out, o)
		}
	}
	return out
}

func (fe *FnEvents) mapUpdate(x *ssa.MapUpdate) []Event {
	id, ok := fe.M.IndexOf(x.Map)
	if !ok {
		return nil
	}
	objs := model.AddSet(fe.M.Objects(x.Value), fe.M.Objects(x.Key)...)
	objs = model.AddSet(objs, fe.sliceElems(x.Value)...)
	ev := Event{
		Kind: rules.Insert, Objs: objs, IdentObjs: fe.keyOwners(x.Map, x.Key, objs), Idx: fe.index(id),
		Key: fe.keyIdentity(x.Key), KeyVal: x.Key, Replace: true, Pos: x.Pos(),
		Fix: &FixSource{MapUpdate: x},
	}
	ev.MapKey, ev.Keyed = fe.keyFromObject(x.Key, x.Value)
	if fe.rangedKey(x.Key, id) {
		// for k, v := range m { m[k] = filter(v) }: each entry is
		// rewritten, some of what it held dropped; as a delete by key, it
		// counts for every object of the index.
		return []Event{{Kind: rules.Delete, Idx: ev.Idx, Pos: x.Pos(), DelKey: x.Key}, ev}
	}
	if gone, ok := fe.filteredOut(x.Value, id); ok {
		// m[k] = filterOut(m[k], c): c leaves the entry. As a delete by
		// key it counts for every object; c says which one was meant.
		return []Event{{Kind: rules.Delete, Idx: ev.Idx, Pos: x.Pos(), DelKey: gone}, ev}
	}
	return []Event{ev}
}

// filteredOut reports whether v is computed by a call (not append) from
// an entry of index id and another value: a filter that drops that value
// from the entry. It returns the value dropped.
func (fe *FnEvents) filteredOut(v ssa.Value, id facts.IndexID) (ssa.Value, bool) {
	call, ok := model.Strip(v).(*ssa.Call)
	if !ok {
		return nil, false
	}
	if b, isBuiltin := call.Call.Value.(*ssa.Builtin); isBuiltin && b.Name() == "append" {
		return nil, false
	}
	fromEntry := false
	var other ssa.Value
	for _, a := range call.Call.Args {
		if fe.entryOf(a, id) {
			fromEntry = true
		} else if model.IsRef(a.Type()) && other == nil {
			other = a
		}
	}
	return other, fromEntry && other != nil
}

// entryOf reports whether v is an entry read out of index id (m[k], or
// the value of a lookup with ok).
func (fe *FnEvents) entryOf(v ssa.Value, id facts.IndexID) bool {
	var m ssa.Value
	switch x := model.Strip(v).(type) {
	case *ssa.Lookup:
		m = x.X
	case *ssa.Extract:
		if lk, ok := x.Tuple.(*ssa.Lookup); ok && x.Index == 0 {
			m = lk.X
		}
	}
	if m == nil {
		return false
	}
	got, ok := fe.M.IndexOf(m)
	return ok && got == id
}

// rangedKey reports whether key is the key of a range over index id.
func (fe *FnEvents) rangedKey(key ssa.Value, id facts.IndexID) bool {
	ex, ok := key.(*ssa.Extract)
	if !ok || ex.Index != 1 {
		return false
	}
	next, ok := ex.Tuple.(*ssa.Next)
	if !ok || next.IsString {
		return false
	}
	r, ok := next.Iter.(*ssa.Range)
	if !ok {
		return false
	}
	rid, ok := fe.M.IndexOf(r.X)
	return ok && rid == id
}

// keyFromObject says how key is reached from the object val: the object
// itself (a set), or one field of it (byName[p.name] = p).
func (fe *FnEvents) keyFromObject(key, val ssa.Value) (string, bool) {
	obj := fe.M.Objects(val)
	if len(obj) != 1 {
		return "", false
	}
	if k := fe.M.Objects(key); len(k) == 1 && k[0] == obj[0] {
		return "", true
	}
	ld, ok := model.Strip(key).(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return "", false
	}
	fa, ok := ld.X.(*ssa.FieldAddr)
	if !ok {
		return "", false
	}
	if base := fe.M.Objects(fa.X); len(base) == 1 && base[0] == obj[0] {
		return "|" + model.FieldName(fa.X, fa.Field), true
	}
	return "", false
}

// indexReplaced: storing a fresh map into a variable or field that is an
// index replaces the index and so deletes everything from it.
func (fe *FnEvents) indexReplaced(x *ssa.Store) []Event {
	if _, isMap := x.Val.Type().Underlying().(*types.Map); !isMap || !fe.rules.MapKind() {
		return nil
	}
	switch x.Addr.(type) {
	case *ssa.Global, *ssa.FieldAddr:
	default:
		return nil
	}
	id, ok := fe.M.IndexOf(x.Addr)
	if !ok {
		return nil
	}
	return []Event{{Kind: rules.Delete, Idx: fe.index(id), Pos: x.Pos()}}
}

// snapshotOfReplaced reports whether the map m, read by use, was loaded
// from a variable or field that the function replaces between the load
// and the read (old := c.items; c.items = ...; range old): reading old
// reads a map that is no longer the index. A reset after the reads
// (range s.m { ... }; s.m = nil) leaves them reads of the index.
func (fe *FnEvents) snapshotOfReplaced(m ssa.Value, use ssa.Instruction) bool {
	ld, ok := model.Strip(m).(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return false
	}
	for _, st := range fe.mapStores() {
		if fe.sameLocation(st.Addr, ld.X) && model.RunsBefore(ld, st) && model.RunsBefore(st, use) {
			return true
		}
	}
	return false
}

// mapStores returns the function's stores of a map value, found once.
func (fe *FnEvents) mapStores() []*ssa.Store {
	if fe.stores == nil {
		fe.stores = []*ssa.Store{}
		for _, b := range fe.M.Fn.Blocks {
			for _, instr := range b.Instrs {
				if st, ok := instr.(*ssa.Store); ok {
					if _, isMap := st.Val.Type().Underlying().(*types.Map); isMap {
						fe.stores = append(fe.stores, st)
					}
				}
			}
		}
	}
	return fe.stores
}

// sameLocation reports whether two addresses are the same variable or the
// same field of the same object.
func (fe *FnEvents) sameLocation(a, b ssa.Value) bool {
	if a == b {
		return true
	}
	fa, ok1 := a.(*ssa.FieldAddr)
	fb, ok2 := b.(*ssa.FieldAddr)
	if !ok1 || !ok2 || fa.Field != fb.Field {
		return false
	}
	oa, ob := fe.M.Expand(fe.M.RawObjects(fa.X)), fe.M.Expand(fe.M.RawObjects(fb.X))
	return len(oa) == 1 && len(ob) == 1 && oa[0] == ob[0]
}

// listValueRead: e.Value of a *list.Element is an object in e's list.
func (fe *FnEvents) listValueRead(x *ssa.UnOp) []Event {
	fa, ok := x.X.(*ssa.FieldAddr)
	if x.Op != token.MUL || !ok || !model.IsNamed(fa.X.Type(), "container/list", "Element") {
		return nil
	}
	if !fe.rules.Enabled(rules.KindList) {
		return nil
	}
	list := listOf(fa.X, 0)
	if list == nil {
		return nil
	}
	return fe.read(list, fe.M.Objects(x), x.Pos(), x)
}

// listOf follows a *list.Element back to the list it came from.
func listOf(e ssa.Value, depth int) ssa.Value {
	if depth > 8 {
		return nil
	}
	switch x := model.Strip(e).(type) {
	case *ssa.Phi:
		for _, edge := range x.Edges {
			if l := listOf(edge, depth+1); l != nil {
				return l
			}
		}
	case *ssa.Call:
		callee := x.Call.StaticCallee()
		if callee == nil || len(x.Call.Args) == 0 {
			return nil
		}
		switch callee.Name() {
		case "Front", "Back", "PushBack", "PushFront", "InsertBefore", "InsertAfter":
			if model.IsNamed(x.Call.Args[0].Type(), "container/list", "List") {
				return x.Call.Args[0]
			}
		case "Next", "Prev":
			return listOf(x.Call.Args[0], depth+1)
		}
	}
	return nil
}

// keyIdentity names a map key so that two inserts under the same key can
// be recognised: the same SSA value, the same constant, or the same field
// of the same object, as for branch conditions.
func (fe *FnEvents) keyIdentity(k ssa.Value) any {
	return model.OperandKey(fe.M, k)
}
