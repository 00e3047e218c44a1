package analyzer

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

const anyIndex = -1

// An event is one lifecycle operation at an instruction, in terms of the
// function's objects and indexes. The engine interprets events; it never
// looks at SSA itself.
type event struct {
	kind rules.Kind
	objs []int // canonical object ids; nil with Delete: every object of idx
	// identObjs are the objects an insert stores under their identity (a
	// key that is one of their fields, or their key in another index):
	// they are in the index for their lifecycle, but no pointer to their
	// memory is.
	identObjs []int
	idx       int // position in fnEvents.indexes, or anyIndex
	// key identifies the map key of an insert; replace says the insert first
	// drops the entry under an equal key (m[k] = v).
	key     any
	replace bool
	pos     token.Pos
	before  []event
	fix     *fixSource
	// How the event reads to the user is worked out only for reports and
	// facts: the call it happens at, the argument (argPos, or -1) or callee
	// operand naming the object, and the callee's own witness.
	cs          *callSite
	argPos      int
	operand     Operand
	calleeSteps []Step
	learned     bool   // the event applies a callee's summary
	node        string // for an insert: the field path to the intrusive node linked
	nodeType    string // and the node's type
	// guard, for an insert learned from a callee that inserts only when it
	// returns, say, a nil error: the condition, on the call's result, under
	// which the object went in.
	guard *cond
	// mapKey, for a map insert, is how the key is reached from the object
	// (see Effect.MapKey); keyed says it is known.
	mapKey string
	keyed  bool
	// keyVal is the key value of an insert that replaces by key, from
	// which a summary tells callers which entry it replaced.
	keyVal ssa.Value
	// byKey marks a delete learned from a callee's replacing insert: it
	// drops the entry stored under key, not every object of the index.
	byKey bool
	// instr is the instruction the event happens at.
	instr ssa.Instruction
	// locked, for an insert a callee made, says the callee held a mutex
	// when it made it.
	locked bool
	// spawned marks an event of a goroutine started here: its closes are
	// checked at the go statement, since the code after it cannot undo them.
	spawned bool
}

// what names the operation as the user reads it: pool.Put, release.
func (fe *fnEvents) what(ev *event) string {
	if ev.cs == nil {
		return ""
	}
	return fe.env.src.callName(ev.cs.common)
}

// objName names the object as the user reads it: p, r.px.
func (fe *fnEvents) objName(ev *event) string {
	switch {
	case ev.cs == nil:
		return ""
	case ev.argPos >= 0:
		return fe.argText(*ev.cs, ev.argPos)
	case ev.operand.Base != AnyObject:
		return fe.operandName(*ev.cs, ev.operand)
	}
	return ""
}

// steps is the witness of a learned event: this call, then the callee's.
func (fe *fnEvents) steps(ev *event) []Step {
	if !ev.learned {
		return nil
	}
	out := make([]Step, 0, 1+len(ev.calleeSteps))
	out = append(out, Step{Func: ev.cs.funcName(), pos: ev.pos, arg: ev.arg()})
	return append(out, ev.calleeSteps...)
}

// arg is 1 + the position of the argument naming the object, or 0.
func (ev *event) arg() int {
	switch {
	case ev.argPos >= 0:
		return ev.argPos + 1
	case ev.operand.Base == ParamOperand && ev.operand.Path == "":
		return ev.operand.Pos + 1
	}
	return 0
}

// fnEvents is a function's events, per instruction.
type fnEvents struct {
	env     *passEnv
	m       *funcModel
	indexes []IndexID
	idxNum  map[IndexID]int
	at      map[ssa.Instruction][]event
	// kills maps an instruction to the objects it makes anew when it runs
	// again (a loop's next iteration): facts about the old ones end there.
	kills map[ssa.Instruction][]int
	// testedPhis are the phis a branch tests (x == nil, or a bool phi).
	testedPhis map[*ssa.Phi]bool
	stores     []*ssa.Store                // stores of maps, for snapshotOfReplaced
	locks      map[ssa.Instruction]lockSet // mutexes held, computed for fixes
	misses     map[*ssa.If]missTest        // branches on a lookup's ok
}

func (fe *fnEvents) index(id IndexID) int {
	if n, ok := fe.idxNum[id]; ok {
		return n
	}
	fe.indexes = append(fe.indexes, id)
	fe.idxNum[id] = len(fe.indexes) - 1
	return len(fe.indexes) - 1
}

// buildEvents translates every instruction of m's function.
func buildEvents(env *passEnv, m *funcModel) *fnEvents {
	fe := &fnEvents{env: env, m: m, idxNum: make(map[IndexID]int), at: make(map[ssa.Instruction][]event)}
	for _, b := range m.fn.Blocks {
		for _, instr := range b.Instrs {
			if evs := fe.instrEvents(instr); len(evs) > 0 {
				for i := range evs {
					evs[i].instr = instr
				}
				fe.at[instr] = evs
			}
		}
	}
	fe.shareKeys()
	return fe
}

func (fe *fnEvents) instrEvents(instr ssa.Instruction) []event {
	mapKind := fe.env.cfg.Rules.MapKind()
	switch x := instr.(type) {
	case *ssa.MapUpdate:
		if mapKind {
			return fe.mapUpdate(x)
		}
	case *ssa.Lookup:
		if mapKind && !fe.snapshotOfReplaced(x.X, x) {
			evs := fe.read(x.X, fe.elemObjects(x.X), x.Pos(), x)
			for i := range evs {
				evs[i].key = fe.keyIdentity(x.Index) // m[k] = other replaces what was read
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
		if !ok || next.IsString || x.Index == 0 || !isRef(x.Type()) || !mapKind {
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
			evs[i].spawned = true
		}
		fe.noteDelegation(x, evs)
		return evs
	}
	return nil
}

// elemObjects are the objects an index map's lookups and range yield.
func (fe *fnEvents) elemObjects(mapv ssa.Value) []int {
	mt, ok := mapv.Type().Underlying().(*types.Map)
	if !ok {
		return nil
	}
	var objs []int
	if isRef(mt.Elem()) || isRef(mt.Key()) {
		objs = fe.m.expand(fe.m.extend(fe.m.rawObjects(mapv), stepElem))
	}
	return objs
}

func (fe *fnEvents) read(index ssa.Value, objs []int, pos token.Pos, instr ssa.Instruction) []event {
	id, ok := fe.m.indexOf(index)
	if !ok || len(objs) == 0 {
		return nil
	}
	return []event{{kind: rules.Read, objs: objs, idx: fe.index(id), pos: pos}}
}

func (fe *fnEvents) mapUpdate(x *ssa.MapUpdate) []event {
	id, ok := fe.m.indexOf(x.Map)
	if !ok {
		return nil
	}
	objs := addSet(fe.m.objects(x.Value), fe.m.objects(x.Key)...)
	ev := event{
		kind: rules.Insert, objs: objs, identObjs: fe.keyOwners(x.Map, x.Key, objs), idx: fe.index(id),
		key: fe.keyIdentity(x.Key), keyVal: x.Key, replace: true, pos: x.Pos(),
		fix: &fixSource{mapUpdate: x},
	}
	ev.mapKey, ev.keyed = fe.keyFromObject(x.Key, x.Value)
	return []event{ev}
}

// keyFromObject says how key is reached from the object val: the object
// itself (a set), or one field of it (byName[p.name] = p).
func (fe *fnEvents) keyFromObject(key, val ssa.Value) (string, bool) {
	obj := fe.m.objects(val)
	if len(obj) != 1 {
		return "", false
	}
	if k := fe.m.objects(key); len(k) == 1 && k[0] == obj[0] {
		return "", true
	}
	ld, ok := strip(key).(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return "", false
	}
	fa, ok := ld.X.(*ssa.FieldAddr)
	if !ok {
		return "", false
	}
	if base := fe.m.objects(fa.X); len(base) == 1 && base[0] == obj[0] {
		return "|" + fieldName(fa.X, fa.Field), true
	}
	return "", false
}

// indexReplaced: storing a fresh map into a variable or field that is an
// index replaces the index and so deletes everything from it.
func (fe *fnEvents) indexReplaced(x *ssa.Store) []event {
	if _, isMap := x.Val.Type().Underlying().(*types.Map); !isMap || !fe.env.cfg.Rules.MapKind() {
		return nil
	}
	switch x.Addr.(type) {
	case *ssa.Global, *ssa.FieldAddr:
	default:
		return nil
	}
	id, ok := fe.m.indexOf(x.Addr)
	if !ok {
		return nil
	}
	return []event{{kind: rules.Delete, idx: fe.index(id), pos: x.Pos()}}
}

// snapshotOfReplaced reports whether the map m, read by use, was loaded
// from a variable or field that the function replaces between the load
// and the read (old := c.items; c.items = ...; range old): reading old
// reads a map that is no longer the index. A reset after the reads
// (range s.m { ... }; s.m = nil) leaves them reads of the index.
func (fe *fnEvents) snapshotOfReplaced(m ssa.Value, use ssa.Instruction) bool {
	ld, ok := strip(m).(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return false
	}
	for _, st := range fe.mapStores() {
		if fe.sameLocation(st.Addr, ld.X) && runsBefore(ld, st) && runsBefore(st, use) {
			return true
		}
	}
	return false
}

// runsBefore reports whether a runs before b on every path to b.
func runsBefore(a, b ssa.Instruction) bool {
	ab, bb := a.Block(), b.Block()
	if ab == bb {
		return indexOf(ab, a) < indexOf(bb, b)
	}
	return ab.Dominates(bb)
}

// mapStores returns the function's stores of a map value, found once.
func (fe *fnEvents) mapStores() []*ssa.Store {
	if fe.stores == nil {
		fe.stores = []*ssa.Store{}
		for _, b := range fe.m.fn.Blocks {
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
func (fe *fnEvents) sameLocation(a, b ssa.Value) bool {
	if a == b {
		return true
	}
	fa, ok1 := a.(*ssa.FieldAddr)
	fb, ok2 := b.(*ssa.FieldAddr)
	if !ok1 || !ok2 || fa.Field != fb.Field {
		return false
	}
	oa, ob := fe.m.expand(fe.m.rawObjects(fa.X)), fe.m.expand(fe.m.rawObjects(fb.X))
	return len(oa) == 1 && len(ob) == 1 && oa[0] == ob[0]
}

func indexOf(b *ssa.BasicBlock, instr ssa.Instruction) int {
	for i, x := range b.Instrs {
		if x == instr {
			return i
		}
	}
	return -1
}

// listValueRead: e.Value of a *list.Element is an object in e's list.
func (fe *fnEvents) listValueRead(x *ssa.UnOp) []event {
	fa, ok := x.X.(*ssa.FieldAddr)
	if x.Op != token.MUL || !ok || !isNamed(fa.X.Type(), "container/list", "Element") {
		return nil
	}
	if !fe.env.cfg.Rules.Enabled(rules.KindList) {
		return nil
	}
	list := listOf(fa.X, 0)
	if list == nil {
		return nil
	}
	return fe.read(list, fe.m.objects(x), x.Pos(), x)
}

// listOf follows a *list.Element back to the list it came from.
func listOf(e ssa.Value, depth int) ssa.Value {
	if depth > 8 {
		return nil
	}
	switch x := strip(e).(type) {
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
			if isNamed(x.Call.Args[0].Type(), "container/list", "List") {
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
func (fe *fnEvents) keyIdentity(k ssa.Value) any {
	return operandKey(fe.m, k)
}
