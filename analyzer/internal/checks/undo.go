package checks

import (
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/flow"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// The undo check compares the failing returns that follow one insert: a
// failing return that leaves the object in the index is a defect when the
// function's other failing returns after the same insert take it out
// again. The evidence is the function's own: it says, on its other
// failing paths, that a failure must undo the insert.
//
// Only acquisitions are judged (acquired): an object the function made and
// inserted, itself or through a helper, or a parameter it inserts itself;
// not what a call returned already inserted, a get-or-create, an object
// handed over or whose owner was shut down, a result being built, data
// (names, numbers) or the standard library's indexes. The checks that
// exclude each are below, each named for the case it lets be.
//
// Ranking (Engler et al., "Bugs as deviant behavior"): a deviation counts
// only where the rule holds at least as often as not. The check reports the
// forgetting returns when the undoing returns are at least as many; when
// more failing returns keep the object than remove it, keeping it is how
// that function works (the failure is not the object's), and it reports
// nothing.

// undoKey is one insert of one object into one index.
type undoKey struct {
	ins      *events.Event
	obj, idx int
}

// undoEvidence is what the failing returns after one insert do with it.
type undoEvidence struct {
	fact      flow.InFact
	deviating map[*ssa.Return]bool          // failing returns with the object still in
	agreeing  map[*ssa.Return]*events.Event // failing returns after its delete, with the delete
	order     []*ssa.Return
	// scoped holds the returns that do not fail and deleted the object
	// first, with the delete; kept, those that do not fail and leave it
	// in: the object is scoped to the call when all of them delete it.
	scoped map[*ssa.Return]*events.Event
	kept   bool
	// acquired says the insert is an acquisition (judged): the other
	// evidence counts only for those.
	acquired bool
}

// undoCheck collects the evidence of one function over its final pass.
type undoCheck struct {
	fe     *events.FnEvents
	byKey  map[undoKey]*undoEvidence
	keys   []undoKey
	errRes bool // the function's last result is an error
	// judgedMemo holds judged's answers per insert; handing, the stores
	// that hand each object over.
	judgedMemo map[undoKey]judgement
	handing    map[int][]*ssa.Store
	// handsOut holds, per object made here, a return that does not fail
	// and hands it to the caller.
	handsOut map[int]*ssa.Return
	loops    map[*ssa.BasicBlock]bool // the blocks in loops, once asked
}

func newUndoCheck(fe *events.FnEvents) *undoCheck {
	return &undoCheck{fe: fe, byKey: make(map[undoKey]*undoEvidence), judgedMemo: make(map[undoKey]judgement), handing: make(map[int][]*ssa.Store),
		handsOut: make(map[int]*ssa.Return), errRes: model.ReturnsError(fe.M.Fn)}
}

func (u *undoCheck) evidence(k undoKey) *undoEvidence {
	e, ok := u.byKey[k]
	if !ok {
		e = &undoEvidence{deviating: make(map[*ssa.Return]bool), agreeing: make(map[*ssa.Return]*events.Event),
			scoped: make(map[*ssa.Return]*events.Event)}
		u.byKey[k] = e
		u.keys = append(u.keys, k)
	}
	return e
}

// exit records what a failing return does with each insert before it.
func (u *undoCheck) exit(s *flow.State, ret *ssa.Return) {
	if !u.errRes || ret == nil {
		return
	}
	if !u.failing(s, ret) {
		u.noteHandedOut(ret)
		u.noteScoped(s, ret)
		return
	}
	for _, f := range s.Facts {
		if f.Site.Seeded {
			continue // there when the function began: no insert of its own
		}
		j := u.judged(f)
		if f.Site.Read || j == notJudged || u.returned(ret, f.Obj) || closedHeld(s, f) ||
			u.ownerClosed(s, f.Obj) || handlesOutcome(s, f.Site.Ev, ret) || u.handedOver(f, ret) {
			continue
		}
		e := u.evidence(undoKey{f.Site.Ev, f.Obj, f.Idx})
		e.fact = f
		e.acquired = j == acquisition
		if !e.deviating[ret] {
			e.deviating[ret] = true
			e.order = append(e.order, ret)
		}
	}
	for _, d := range s.Undone {
		if !u.checked(d.Idx, d.Ins) || sameCall(d.Ins, d.Del) || stillIn(s, d) || isReset(d.Del) {
			continue
		}
		e := u.evidence(undoKey{d.Ins, d.Obj, d.Idx})
		if _, ok := e.agreeing[ret]; !ok {
			e.agreeing[ret] = d.Del
		}
	}
}

// judgement says how the undo check judges an insert.
type judgement int8

const (
	notJudged judgement = iota
	// onlyScoped: an insert into an index it checks, neither a parameter
	// a callee put in nor a get-or-create, but no acquisition: judged only
	// when the function's successful returns delete it (scoped).
	onlyScoped
	// acquisition: judged against all the evidence.
	acquisition
)

// judged says, once per insert, how the undo check judges it: an
// acquisition into an index it checks, neither a parameter a callee put
// in nor a get-or-create. What depends on the path is asked at each
// return.
func (u *undoCheck) judged(f flow.InFact) judgement {
	k := undoKey{f.Site.Ev, f.Obj, f.Idx}
	if v, ok := u.judgedMemo[k]; ok {
		return v
	}
	v := notJudged
	if !f.Site.Ev.Found && u.checked(f.Idx, f.Site.Ev) && !u.callersObject(f) && !u.getOrCreate(f) {
		v = onlyScoped
		if u.acquired(f) {
			v = acquisition
		}
	}
	u.judgedMemo[k] = v
	return v
}

// handlesOutcome reports whether the failing return answers the outcome
// of the very call that inserted: it returns that call's error, or its
// paths tested that call's result (if !srv.trackListener(&l, true) {
// return ErrServerClosed }). A callee that inserts only when it succeeds
// has then not inserted, whatever its summary could say.
func handlesOutcome(s *flow.State, ins *events.Event, ret *ssa.Return) bool {
	call, ok := ins.Instr.(*ssa.Call)
	if !ok || ins.CS == nil || ins.Ran {
		return false // what a run function put in stays when the call fails after it
	}
	results := map[ssa.Value]bool{call: true}
	for _, r := range *call.Referrers() {
		if ex, ok := r.(*ssa.Extract); ok {
			results[ex] = true
		}
	}
	slots := make(map[*ssa.Alloc]bool)
	for v := range results {
		for _, r := range *v.Referrers() {
			if st, ok := r.(*ssa.Store); ok {
				if a, ok := st.Addr.(*ssa.Alloc); ok {
					slots[a] = true
				}
			}
		}
	}
	inPhi := make(map[*ssa.Phi]bool) // phis under way: a cycle adds nothing
	var fromCall func(k any) bool
	fromCall = func(k any) bool {
		v, ok := k.(ssa.Value)
		if !ok {
			return false
		}
		v = model.Strip(v)
		if phi, ok := v.(*ssa.Phi); ok && !inPhi[phi] {
			// err = ins(); ... if err != nil: the call's error, or nil
			// from the paths that did not call it.
			inPhi[phi] = true
			defer delete(inPhi, phi)
			some := false
			for _, e := range phi.Edges {
				switch {
				case fromCall(e):
					some = true
				case !isNilConst(e):
					return false
				}
			}
			return some
		}
		return results[v] || slots[loadedSlot(v)]
	}
	if fromCall(storedBefore(ret, model.StoredResult(ret, ret.Results[len(ret.Results)-1]))) {
		return true
	}
	for l := s.Conds; l != nil; l = l.Next {
		if failed(l.Cond, fromCall) {
			return true
		}
	}
	return false
}

// isNilConst reports whether v is the constant nil.
func isNilConst(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.IsNil()
}

// failed reports whether c says that a result of the call failed: an
// error that is not nil, a pointer that is nil, a bool that is false.
func failed(c model.Cond, fromCall func(any) bool) bool {
	if b, ok := c.Key.(model.BinKey); ok && b.Op == token.EQL && b.Y == model.NilKey && fromCall(b.X) {
		v := b.X.(ssa.Value)
		if types.IsInterface(v.Type()) {
			return !c.Val // err != nil
		}
		return c.Val // p == nil
	}
	if fromCall(c.Key) {
		if v, ok := c.Key.(ssa.Value); ok {
			if basic, ok := v.Type().Underlying().(*types.Basic); ok && basic.Kind() == types.Bool {
				return !c.Val // if !ok
			}
		}
	}
	return false
}

// checked reports whether an insert by ins into index idx is one the undo
// check judges: into an index that outlives the function, that is not the
// standard library's (a context's children), and, for m[k] = v, into a
// map loaded from that field or variable, not a map made here that is
// stored in a field later (a result being built, garbage if it fails).
func (u *undoCheck) checked(idx int, ins *events.Event) bool {
	if !closeChecked(u.fe, idx) || u.fe.StandardIndex(idx) {
		return false
	}
	if up, ok := ins.Instr.(*ssa.MapUpdate); ok {
		ld, isLoad := model.Strip(up.Map).(*ssa.UnOp)
		return isLoad && ld.Op == token.MUL
	}
	return true
}

// isReset reports whether a delete empties the whole index (a fresh map
// stored over it, clear, a loop deleting every key) rather than taking
// an entry out: starting over is no evidence that a failure must undo
// one insert.
func isReset(del *events.Event) bool {
	return del.Kind == rules.Delete && del.Objs == nil && del.DelKey == nil && del.CS == nil
}

// callersObject reports whether f is about a parameter put in by a
// callee: the caller that handed the object over owns what happens to
// it on failure (a parser that returns an error has its connection
// closed, and unregistered, by the read loop that called it). Objects
// this function made, or a parameter it inserts itself, are its own.
func (u *undoCheck) callersObject(f flow.InFact) bool {
	if !f.Site.Ev.Learned {
		return false
	}
	for _, p := range u.fe.M.Fn.Params {
		if slices.Contains(u.fe.M.Objects(p), f.Obj) {
			return true
		}
	}
	return false
}

// handedOver reports whether, on every path to ret, the object was
// stored in a field of another object or in a variable that outlives the
// function (c.mqtt.sess = es): its new owner cleans it up.
func (u *undoCheck) handedOver(f flow.InFact, ret *ssa.Return) bool {
	stores, ok := u.handing[f.Obj]
	if !ok {
		stores = u.handingStores(f.Obj)
		u.handing[f.Obj] = stores
	}
	return slices.ContainsFunc(stores, func(st *ssa.Store) bool { return model.RunsBefore(st, ret) })
}

// handingStores returns the stores of obj into a field or a
// package-level variable, found once per object.
func (u *undoCheck) handingStores(obj int) []*ssa.Store {
	var out []*ssa.Store
	for _, b := range u.fe.M.Fn.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			switch a := st.Addr.(type) {
			case *ssa.FieldAddr:
				if slices.Contains(u.fe.M.Objects(st.Val), obj) && !u.backPointer(a.X, obj) {
					out = append(out, st)
				}
			case *ssa.Global:
				if slices.Contains(u.fe.M.Objects(st.Val), obj) {
					out = append(out, st)
				}
			}
		}
	}
	return out
}

// backPointer reports whether holder, whose field gets obj, is a part of
// obj: allocated here and stored in a field of obj (pc.permits =
// &permits{pc: pc}). obj owns it; nothing was handed over.
func (u *undoCheck) backPointer(holder ssa.Value, obj int) bool {
	alloc, ok := model.Strip(holder).(*ssa.Alloc)
	if !ok {
		return false
	}
	for _, r := range *alloc.Referrers() {
		st, ok := r.(*ssa.Store)
		if !ok || st.Val != alloc {
			continue
		}
		if fa, ok := st.Addr.(*ssa.FieldAddr); ok && slices.Contains(u.fe.M.Objects(fa.X), obj) {
			return true
		}
	}
	return false
}

// acquired reports whether the insert of f is an acquisition this
// function must undo when it fails (Weimer and Necula's resources made
// here): an object it inserts itself into an index it did not just make
// (a map field of an object allocated here is a result being built, and
// garbage if it fails), or an object it allocated and handed to a helper
// that inserts it (s.register(c) after c := &Conn{}). An object a call
// returned already inserted (a lookup that caches, a get-or-create, a
// constructor that registers) was obtained, not acquired: the callee
// decides what its failure leaves.
func (u *undoCheck) acquired(f flow.InFact) bool {
	m := u.fe.M
	if f.Site.Ev.Learned {
		return u.allocatedHere(f.Obj) || u.freshInVariable(f)
	}
	if up, ok := f.Site.Ev.Instr.(*ssa.MapUpdate); ok {
		held := up.Key.Type()
		if slices.Contains(m.Objects(up.Value), f.Obj) {
			held = up.Value.Type()
		}
		if !resource(held) {
			return false // a name, a number, a slice of values: data, not a resource
		}
		if ld, ok := model.Strip(up.Map).(*ssa.UnOp); ok {
			if fa, ok := ld.X.(*ssa.FieldAddr); ok {
				for _, o := range m.Objects(fa.X) {
					if u.allocatedHere(o) {
						return false // the map of a struct built here
					}
				}
			}
		}
	}
	return true
}

// resource reports whether a value of type t can hold a resource: a
// pointer, channel, function or interface, or a slice or array of them.
func resource(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Pointer, *types.Chan, *types.Signature, *types.Interface:
		return true
	case *types.Slice:
		return resource(u.Elem())
	case *types.Array:
		return resource(u.Elem())
	}
	return false
}

// freshInVariable reports whether f's object is what a variable that a
// closure captures (p, a heap cell) holds, and the insert's block stored
// an allocation of this function in it before the insert: p = &PAF{}
// then js.register(id, p), with a timer's closure that uses p later.
func (u *undoCheck) freshInVariable(f flow.InFact) bool {
	keys := u.fe.M.Objs.Keys
	if f.Obj < 0 || f.Obj >= len(keys) || strings.Trim(keys[f.Obj].Path, "|") != "*" {
		return false
	}
	cell, ok := keys[f.Obj].Root.(*ssa.Alloc)
	if !ok || !cell.Heap {
		return false
	}
	ins := f.Site.Ev.Instr
	if ins == nil {
		return false
	}
	instrs := ins.Block().Instrs
	for i := slices.Index(instrs, ins) - 1; i >= 0; i-- {
		if st, ok := instrs[i].(*ssa.Store); ok && st.Addr == cell {
			a, ok := model.Strip(st.Val).(*ssa.Alloc)
			return ok && a.Heap
		}
	}
	return false
}

// allocatedHere reports whether obj is memory this function allocated.
func (u *undoCheck) allocatedHere(obj int) bool {
	keys := u.fe.M.Objs.Keys
	if obj < 0 || obj >= len(keys) || keys[obj].Path != "" {
		return false
	}
	switch keys[obj].Root.(type) {
	case *ssa.Alloc, *ssa.MakeMap, *ssa.MakeChan, *ssa.MakeSlice:
		return true
	}
	return false
}

// ownerClosed reports whether an object that holds obj (in one of its
// fields) was closed on the paths of s: shutting the owner down is how
// what it holds is let go (n.shutdown() after n.aesub was subscribed).
func (u *undoCheck) ownerClosed(s *flow.State, obj int) bool {
	keys := u.fe.M.Objs.Keys
	if obj < 0 || obj >= len(keys) {
		return false
	}
	k := keys[obj]
	for _, c := range s.Closed {
		if c.Obj >= 0 && c.Obj < len(keys) && c.Obj != obj {
			o := keys[c.Obj]
			if o.Root == k.Root && len(o.Path) < len(k.Path) && strings.HasPrefix(k.Path, o.Path) {
				return true
			}
		}
	}
	return false
}

// getOrCreate reports whether the function also reads the object out of
// the same index (b := m[id]; if b == nil { b = newB(); m[id] = b }): the
// object may have been there before the call, and a failure leaves it as
// the lookup found it. Such an insert is no acquisition to undo.
func (u *undoCheck) getOrCreate(f flow.InFact) bool {
	if up, ok := f.Site.Ev.Instr.(*ssa.MapUpdate); ok && u.lookedUp(up) {
		return true
	}
	for _, evs := range u.fe.At {
		for _, ev := range evs {
			if ev.Kind == rules.Read && ev.Idx == f.Idx && slices.Contains(ev.Objs, f.Obj) {
				return true
			}
		}
	}
	return false
}

// lookedUp reports whether the function looks up the key of the map
// update up in the same index: b, ok := m[id]; if !ok { m[id] = newB() }.
func (u *undoCheck) lookedUp(up *ssa.MapUpdate) bool {
	m := u.fe.M
	idx, ok := m.IndexOf(up.Map)
	if !ok {
		return false
	}
	key, slot := model.OperandKey(m, up.Key), loadedSlot(model.Strip(up.Key))
	sameKey := func(k ssa.Value) bool {
		return model.OperandKey(m, k) == key || slot != nil && loadedSlot(model.Strip(k)) == slot // a captured key, loaded twice
	}
	for _, b := range m.Fn.Blocks {
		for _, instr := range b.Instrs {
			lk, ok := instr.(*ssa.Lookup)
			if !ok {
				continue
			}
			if id, ok := m.IndexOf(lk.X); ok && id == idx && sameKey(lk.Index) && valueUsed(lk) {
				return true
			}
		}
	}
	return false
}

// valueUsed reports whether the value a lookup found is used: a
// get-or-create goes on with it; a check for a duplicate (if _, ok :=
// m[id]; ok { return errDup }) only asks whether it is there, and the
// insert after it is an acquisition.
func valueUsed(lk *ssa.Lookup) bool {
	if !lk.CommaOk {
		return len(*lk.Referrers()) > 0
	}
	for _, r := range *lk.Referrers() {
		if ex, ok := r.(*ssa.Extract); ok && ex.Index == 0 && len(*ex.Referrers()) > 0 {
			return true
		}
	}
	return false
}

// stillIn reports whether the object of d went in again after d's delete.
func stillIn(s *flow.State, d flow.UndoRec) bool {
	return slices.ContainsFunc(s.Facts, func(f flow.InFact) bool { return !f.Site.Seeded && f.Obj == d.Obj && f.Idx == d.Idx })
}

// closedHeld reports whether the object of f was closed while in f's
// index on the path: the closed check reports that.
func closedHeld(s *flow.State, f flow.InFact) bool {
	return slices.ContainsFunc(s.Closed, func(c flow.CloseRec) bool { return c.Obj == f.Obj && slices.Contains(c.Held, f.Idx) })
}

// returned reports whether ret hands obj to the caller: with the error, the
// caller decides (a partial result).
func (u *undoCheck) returned(ret *ssa.Return, obj int) bool {
	for _, r := range ret.Results {
		if slices.Contains(u.fe.M.Objects(r), obj) {
			return true
		}
	}
	return false
}

// failing reports whether ret returns a non-nil error on the paths of s:
// one it made (errors.New, fmt.Errorf, a sentinel), or one the paths
// tested (if err != nil { return err }).
func (u *undoCheck) failing(s *flow.State, ret *ssa.Return) bool {
	v := storedBefore(ret, model.StoredResult(ret, ret.Results[len(ret.Results)-1]))
	switch model.ResultClass(v) {
	case "nil":
		return false
	case "nonnil":
		return true
	}
	if isNil, known := s.Conds.Value(model.BinKey{Op: token.EQL, X: model.OperandKey(u.fe.M, v), Y: model.NilKey}); known {
		return !isNil
	}
	if isNil, known := slotTested(s.Conds, v); known {
		return !isNil
	}
	return madeError(v)
}

// storedBefore sees through a named result captured by a deferred
// closure (a heap slot, which model.StoredResult leaves alone): what the
// return statement stored in it, in its block, with no call between.
func storedBefore(ret *ssa.Return, v ssa.Value) ssa.Value {
	slot := loadedSlot(v)
	if slot == nil {
		return v
	}
	instrs := ret.Block().Instrs
	for i := len(instrs) - 1; i >= 0; i-- {
		switch x := instrs[i].(type) {
		case *ssa.Store:
			if x.Addr == slot {
				return x.Val
			}
		case *ssa.Call:
			return v
		}
	}
	return v
}

// slotTested says what the paths tested of a named result (err), whose
// loads are distinct values: if err = f(); err != nil { return }.
func slotTested(l *flow.CondList, v ssa.Value) (isNil, known bool) {
	slot := loadedSlot(v)
	if slot == nil {
		return false, false
	}
	for ; l != nil; l = l.Next {
		b, ok := l.Cond.Key.(model.BinKey)
		if !ok || b.Op != token.EQL || b.Y != model.NilKey {
			continue
		}
		if x, ok := b.X.(ssa.Value); ok && loadedSlot(x) == slot {
			return l.Cond.Val, true
		}
	}
	return false, false
}

// loadedSlot returns the variable v loads, or nil.
func loadedSlot(v ssa.Value) *ssa.Alloc {
	if ld, ok := v.(*ssa.UnOp); ok && ld.Op == token.MUL {
		a, _ := ld.X.(*ssa.Alloc)
		return a
	}
	return nil
}

// madeError reports whether v is the result of a call that builds an
// error: a constructor or wrapper of an errors package, or an Errorf.
func madeError(v ssa.Value) bool {
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	if call.Call.IsInvoke() {
		m := call.Call.Method
		return m.Name() == "Err" && m.Pkg() != nil && m.Pkg().Path() == "context"
	}
	f := call.Call.StaticCallee()
	if f == nil || f.Pkg == nil {
		return false
	}
	name, pkg := f.Name(), f.Pkg.Pkg.Path()
	if name == "Err" && pkg == "context" {
		return true // ctx.Err() once Done is closed
	}
	return strings.HasSuffix(name, "Errorf") ||
		(strings.HasSuffix(pkg, "errors") && (strings.HasPrefix(name, "New") || strings.HasPrefix(name, "Wrap") || strings.HasPrefix(name, "With")))
}

// inLoop reports whether block b of the function can run again; the
// function's loops are found once.
func (u *undoCheck) inLoop(b *ssa.BasicBlock) bool {
	if u.loops == nil {
		u.loops = events.LoopBlocks(u.fe.M.Fn)
	}
	return u.loops[b]
}

// noteScoped records, for ret, a return that does not fail, which
// inserts of the paths it deleted again before returning (a watcher
// registered for the duration of the call), and which it leaves in.
func (u *undoCheck) noteScoped(s *flow.State, ret *ssa.Return) {
	for _, d := range s.Undone {
		if !u.checked(d.Idx, d.Ins) || sameCall(d.Ins, d.Del) || stillIn(s, d) || isReset(d.Del) || d.Del.Spawned {
			continue // a goroutine's delete comes after the return
		}
		e := u.evidence(undoKey{d.Ins, d.Obj, d.Idx})
		if _, ok := e.scoped[ret]; !ok {
			e.scoped[ret] = d.Del
		}
	}
	for _, f := range s.Facts {
		if f.Site.Seeded {
			continue
		}
		if e, ok := u.byKey[undoKey{f.Site.Ev, f.Obj, f.Idx}]; ok {
			e.kept = true
		}
	}
}

// scopedBy returns the delete of an insert that every return that does
// not fail takes out again (the first of them), or nil: the object lives
// as long as the call, and a failing return must end that too.
func (e *undoEvidence) scopedBy() *events.Event {
	if e.kept || len(e.scoped) == 0 {
		return nil
	}
	var first *events.Event
	for _, del := range e.scoped {
		if first == nil || del.Pos < first.Pos {
			first = del
		}
	}
	return first
}

// noteHandedOut records the objects made here that ret, a return that
// does not fail, hands to the caller: the product of a constructor.
func (u *undoCheck) noteHandedOut(ret *ssa.Return) {
	for _, r := range ret.Results {
		for _, o := range u.fe.M.Objects(r) {
			if _, ok := u.handsOut[o]; !ok && madeHere(u.fe, o) {
				u.handsOut[o] = ret
			}
		}
	}
}

// closable reports whether obj has a Close, Shutdown or Stop method: the
// caller that gets it ends it so.
func (u *undoCheck) closable(obj int) bool {
	keys := u.fe.M.Objs.Keys
	return obj >= 0 && obj < len(keys) && events.Closable(keys[obj].Root.Type())
}

// finish reports each failing return that keeps an object its sibling
// failing returns remove, where they are at least as many; it tells sib
// (when not nil) which indexes this function's failing returns undo
// inserts into, and which inserts no failing return undoes, for the
// evidence of sibling functions.
func (u *undoCheck) finish(rep Reporter, sib *Siblings) {
	var rec *siblingRecord
	if sib != nil {
		rec = sib.record(u.fe)
	}
	for _, k := range u.keys {
		e := u.byKey[k]
		if del := e.scopedBy(); del != nil && len(e.order) > 0 && len(e.agreeing) == 0 {
			for _, ret := range e.order {
				rep.UndoScoped(u.fe, e.fact, ret, del)
			}
			continue
		}
		if !e.acquired {
			e.deviating, e.order = nil, nil // only the scoped evidence judges it
		}
		var agree []flow.UndoRec
		for ret, del := range e.agreeing {
			if !e.deviating[ret] {
				agree = append(agree, flow.UndoRec{Obj: k.obj, Idx: k.idx, Ins: k.ins, Del: del})
			}
		}
		if len(e.order) > 0 && len(agree) == 0 && madeHere(u.fe, k.obj) {
			if out, ok := u.handsOut[k.obj]; ok && u.closable(k.obj) {
				for _, ret := range e.order {
					rep.UndoHandedOut(u.fe, e.fact, ret, out)
				}
				continue
			}
			if rec != nil && !u.inLoop(k.ins.Instr.Block()) {
				// Inserts made in a loop and left when a later round
				// fails are a half-done batch: the sibling functions that
				// undo one insert are no evidence about those.
				rec.lone = append(rec.lone, loneInsert{fact: e.fact, rets: e.order})
			}
		}
		if rec != nil && len(agree) > 0 && len(e.deviating) <= len(agree) {
			if id := u.fe.Indexes[k.idx]; rec.agrees[id] == nil {
				rec.agrees[id] = agree[0].Del
			}
		}
		if len(agree) == 0 || len(e.deviating) > len(agree) {
			continue
		}
		slices.SortFunc(agree, func(a, b flow.UndoRec) int { return int(a.Del.Pos - b.Del.Pos) })
		for _, ret := range e.order {
			rep.Undo(u.fe, e.fact, ret, agree)
		}
	}
}

var undoDoc = Doc{
	Check: rules.CheckUndo,
	Title: "Failing path keeps the object it inserted",
	Reports: "A return with a non-nil error, after an insert, leaves the object in the index, where the " +
		"code shows that a failure must take it out. Reported at that return, with the evidence.",
	Details: "The evidence is one of: the function's other failing returns after the same insert delete it; " +
		"its successful return deletes it first (the registration lives as long as the call, as a watcher " +
		"registered inside a transaction and removed when the call is done); for an object the function " +
		"made, its successful return hands the object to the caller (who closes it) while the failing one " +
		"drops it still registered, or the package's other functions that insert into the same index " +
		"delete what they inserted when they fail (ranked: at least as many as those that do not); and an " +
		"object made here, inserted, then handed over by a `select` whose `default` drops it is reported " +
		"at the `select`.\n\n" +
		"A failing return counts when its error is built there (`errors.New`, `fmt.Errorf`, a wrapper of an " +
		"errors package, a sentinel, `ctx.Err()`) or was tested non-nil on its paths. The check judges " +
		"acquisitions: an object the function made and inserted (itself, through a helper, or in a closure " +
		"that a helper runs, as a transaction helper runs its body), or a parameter it inserts itself. It " +
		"leaves alone a return that answers the outcome of the very call that inserted, what a call " +
		"returned already inserted, a parameter a callee put in, a get-or-create, an object handed to " +
		"another object's field, data (names, numbers), maps made in the function, and the standard " +
		"library's own indexes.",
	Example: `
package example

import "errors"

type Conn struct{ id int }

type Server struct{ conns map[int]*Conn }

func (s *Server) open(id int, busy, broken bool) (*Conn, error) { // want open:"insert r0 into Server.conns"
	c := &Conn{id: id}
	s.conns[id] = c
	if busy {
		delete(s.conns, id)
		return nil, errors.New("busy")
	}
	if broken {
		return nil, errors.New("broken") // want "c stays in Server.conns when this path fails"
	}
	return c, nil
}
`,
	Report: "example.go:17:3: c stays in Server.conns when this path fails: the other failing return after its insert deletes it; delete it before returning [undo]",
	Fix:    "delete the object on this path too, or defer the delete right after the insert and cancel it on success.",
	NoFix:  "the delete goes on this failing path or in a deferred cleanup of the insert: the maintainer's choice",
}
