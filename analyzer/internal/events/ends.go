package events

import (
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// Ends of life other than a free: close(ch), an object's own Close,
// Shutdown or Stop method, and what a goroutine does to the objects it
// is started for.

// closeMethod reports whether a call of the method name on an object
// closes it.
func closeMethod(name string) bool { return slices.Contains(closeMethods, name) }

// closeMethods are the method names that end their receiver's life.
var closeMethods = []string{"Close", "Shutdown", "Stop"}

// closeChan: close(ch) closes the channel ch.
func (fe *FnEvents) closeChan(c *ssa.CallCommon, pos token.Pos) []Event {
	if len(c.Args) != 1 {
		return nil
	}
	objs := fe.M.Objects(c.Args[0])
	if len(objs) == 0 {
		return nil
	}
	cs := NewCallSite(c, nil, pos)
	return []Event{{Kind: rules.Close, Objs: objs, Idx: AnyIndex, Pos: pos, CS: &cs, argPos: 0}}
}

// ownClose: a call of the receiver's own Close, Shutdown or Stop method
// (with at most one parameter and one result, concrete or through an
// interface) closes the receiver.
func (fe *FnEvents) ownClose(cs CallSite) (Event, bool) {
	var sig *types.Signature
	var name string
	switch {
	case cs.Common.IsInvoke():
		name, sig = cs.Common.Method.Name(), cs.Common.Method.Signature()
	case cs.Callee != nil && !cs.bound && cs.Callee.Signature.Recv() != nil:
		name, sig = cs.Callee.Name(), cs.Callee.Signature
	default:
		return Event{}, false
	}
	if !closeMethod(name) || sig.Params().Len() > 1 || sig.Results().Len() > 1 || len(cs.acts) == 0 {
		return Event{}, false
	}
	if name == "Stop" && !cs.Common.IsInvoke() && Resumable(cs.acts[0].Type()) {
		// A stopwatch (Start, Stop, Start again): its Stop ends a phase.
		// What its body closes, if anything, is learned from the body.
		return Event{}, false
	}
	objs := fe.M.Objects(cs.acts[0])
	if len(objs) == 0 {
		return Event{}, false
	}
	ev := Event{Kind: rules.Close, Objs: objs, Idx: AnyIndex, Pos: cs.pos, CS: &cs, argPos: 0}
	// Stop() bool reports whether it stopped anything (time.Timer): a
	// timer that had already fired was not closed by this call.
	if sig.Results().Len() == 1 && cs.result != nil && isBool(sig.Results().At(0).Type()) {
		if key, ok := model.GuardKey(fe.M, cs.result, &facts.Guard{Value: true}); ok {
			ev.Guard = &model.Cond{Key: key, Val: true}
		}
	}
	return ev, true
}

func isBool(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.Bool
}

// operandKeyAt returns the key identity, at a call, of a callee's key
// operand: the argument itself, or one field of it.
func (fe *FnEvents) operandKeyAt(cs CallSite, o facts.Operand) (any, bool) {
	if o.Base != facts.ParamOperand || o.Pos >= len(cs.acts) {
		return nil, false
	}
	arg := cs.acts[o.Pos]
	steps := facts.SplitPath(o.Path)
	switch {
	case len(steps) == 0:
		return model.OperandKey(fe.M, arg), true
	case len(steps) == 1 && steps[0] != facts.StepDeref && steps[0] != facts.StepElem:
		objs := fe.M.Objects(arg)
		if len(objs) == 1 {
			return model.LoadKey{Obj: objs[0], Field: steps[0]}, true
		}
	}
	return nil, false
}

// Delegations say, per index, the types of objects that something else
// deletes from it when they end: the goroutine started for them as it
// exits, or a close callback they were handed. Closing such an object is
// how that cleanup is set off.
type Delegations map[facts.IndexID][]types.Type

// Add records that objects of type t are deleted from idx by their own
// cleanup.
func (d Delegations) Add(t types.Type, idx facts.IndexID) {
	t = DerefAll(t)
	for _, u := range d[idx] {
		if types.Identical(u, t) {
			return
		}
	}
	d[idx] = append(d[idx], t)
}

// Covers reports whether objects of type t (a concrete type, or an
// interface one of the delegated types implements) are deleted from idx
// by their own cleanup.
func (d Delegations) Covers(t types.Type, idx facts.IndexID) bool {
	if t == nil {
		return false
	}
	t = DerefAll(t)
	iface, isIface := t.Underlying().(*types.Interface)
	for _, u := range d[idx] {
		if types.Identical(u, t) {
			return true
		}
		if isIface && (types.Implements(u, iface) || types.Implements(types.NewPointer(u), iface)) {
			return true
		}
	}
	return false
}

// DerefAll strips pointers.
func DerefAll(t types.Type) types.Type {
	for {
		p, ok := t.Underlying().(*types.Pointer)
		if !ok {
			return t
		}
		t = p.Elem()
	}
}

// noteDelegation records the deletes a goroutine started at x makes: the
// objects it is given (by type) are deleted from those indexes as it
// exits. A delete by key counts, as it does everywhere.
func (fe *FnEvents) noteDelegation(x *ssa.Go, evs []Event) {
	for _, ev := range evs {
		if ev.Kind != rules.Delete || ev.Idx == AnyIndex || !fe.Indexes[ev.Idx].Exported() {
			continue
		}
		for _, arg := range append(x.Call.Args, x.Call.Value) {
			if _, isPtr := arg.Type().Underlying().(*types.Pointer); isPtr || types.IsInterface(arg.Type()) {
				fe.pass.Delegations().Add(arg.Type(), fe.Indexes[ev.Idx])
			}
		}
		if mc, ok := x.Call.Value.(*ssa.MakeClosure); ok {
			for _, b := range mc.Bindings {
				fe.pass.Delegations().Add(b.Type(), fe.Indexes[ev.Idx])
			}
		}
	}
}

// ObjType is, for delegation, the type of the object an event ends: its
// argument or operand at the call, or nil when unknown.
func (ev *Event) ObjType() types.Type {
	if ev.CS == nil {
		return nil
	}
	pos := ev.argPos
	if pos < 0 && ev.operand.Base == facts.FreeVarOperand && strings.Trim(ev.operand.Path, "|*") == "" {
		// A closure's captured object: go func() { n.Stop() }()
		if ev.operand.Pos < len(ev.CS.bindings) {
			return model.Strip(ev.CS.bindings[ev.operand.Pos]).Type()
		}
		return nil
	}
	if pos < 0 && ev.operand.Base == facts.ParamOperand && ev.operand.Path == "" {
		pos = ev.operand.Pos
	}
	if pos < 0 || pos >= len(ev.CS.acts) {
		return nil
	}
	return model.Strip(ev.CS.acts[pos]).Type()
}

// cleanupField: in the receiver's own close method, a call of a function
// the receiver holds in a field (l.cleanup(), c.onClose()) is the cleanup
// it was handed when it was registered — the idiom stop := Register(x) —
// so it counts as the receiver unlinking itself from whatever holds it.
func (fe *FnEvents) cleanupField(cs CallSite) (Event, bool) {
	fn := fe.M.Fn
	if cs.Common.IsInvoke() || cs.Callee != nil || fn.Signature.Recv() == nil || len(fn.Params) == 0 || !CloseNamed(fn.Name()) {
		return Event{}, false
	}
	ld, ok := cs.Common.Value.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return Event{}, false
	}
	fa, ok := ld.X.(*ssa.FieldAddr)
	if !ok {
		return Event{}, false
	}
	recv := fe.M.Objects(fn.Params[0])
	if objs := fe.M.Objects(fa.X); len(recv) != 1 || len(objs) != 1 || objs[0] != recv[0] {
		return Event{}, false
	}
	return Event{Kind: rules.Delete, Objs: recv, Idx: AnyIndex, Pos: cs.pos, CS: &cs, argPos: -1}, true
}

// Resumable reports whether values of type t can be started again after a
// stop (a Start, Resume or Restart method): stopping one ends a phase, not
// its life (a stopwatch, etcd's paused remotes).
func Resumable(t types.Type) bool {
	for _, m := range []string{"Start", "start", "Resume", "resume", "Restart", "restart"} {
		if hasMethod(t, m) {
			return true
		}
	}
	return false
}

// Closable reports whether values of type t have a Close, Shutdown or
// Stop method: whoever holds one ends its life with it.
func Closable(t types.Type) bool {
	return slices.ContainsFunc(closeMethods, func(m string) bool { return hasMethod(t, m) })
}

// hasMethod reports whether values of type t have a method called name.
func hasMethod(t types.Type, name string) bool {
	var pkg *types.Package
	if n, ok := types.Unalias(DerefAll(t)).(*types.Named); ok {
		pkg = n.Obj().Pkg()
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, pkg, name)
	_, ok := obj.(*types.Func)
	return ok
}

// CloseNamed reports whether a method's name says it ends its receiver's
// life: Close, closeLocked, shutdown, Stop, destroy, teardown. A method
// that names what else it closes (closeReqBody) or closes one of the
// receiver's channels under another name (endStream, abortRead) ends a
// part or a phase of the object, not the object.
func CloseNamed(name string) bool {
	lower := strings.ToLower(name)
	for _, verb := range []string{"close", "shutdown", "stop", "destroy", "teardown", "terminate", "dispose"} {
		rest, ok := strings.CutPrefix(lower, verb)
		if !ok {
			continue
		}
		switch rest {
		case "", "locked", "witherror", "witherr", "err", "now", "internal", "conn":
			return true
		}
	}
	return false
}

// RegisteredResult reports whether ev is an insert a callee made of the
// object it returns (a constructor or factory that registers what it
// makes, as c.CreateReader does).
func (fe *FnEvents) RegisteredResult(ev *Event) bool {
	if !ev.Learned || ev.operand.Base != facts.ResultOperand || ev.CS == nil {
		return false
	}
	f := ev.CS.FuncObject()
	if ev.CS.Common.IsInvoke() {
		f = ev.CS.Common.Method // the concrete method's summary, applied through the interface
	}
	return f != nil && f.Pkg() != nil && !fe.pass.Standard(f.Pkg().Path())
}

// ForeignIndex reports whether index idx belongs to another package
// than the function's (a field or variable declared there).
func (fe *FnEvents) ForeignIndex(idx int) bool {
	if idx < 0 || idx >= len(fe.Indexes) {
		return false
	}
	pkg := fe.Indexes[idx].Package()
	return pkg != "" && fe.M.Fn.Pkg != nil && pkg != fe.M.Fn.Pkg.Pkg.Path()
}

// OwnMethodClose reports whether ev ends obj by a call of obj's own
// Close, Shutdown or Stop method, concrete or through an interface.
func (fe *FnEvents) OwnMethodClose(ev *Event, obj int) bool {
	if ev.Kind != rules.Close {
		return false
	}
	// A callee that closes it by calling its Close (a deferred cleanup
	// closing what was opened: cl.Close() on each): the object's own
	// close method all the same.
	if n := len(ev.calleeSteps); ev.Learned && n > 0 && slices.Contains(ev.Objs, obj) {
		f := ev.calleeSteps[n-1].Func
		if closeMethod(f[strings.LastIndex(f, ".")+1:]) {
			return true
		}
	}
	cs := ev.CS
	if cs == nil || len(cs.acts) == 0 {
		return false
	}
	name := ""
	switch {
	case cs.Common.IsInvoke():
		name = cs.Common.Method.Name()
	case cs.Callee != nil && cs.Callee.Signature.Recv() != nil:
		name = cs.Callee.Name()
	}
	return closeMethod(name) && slices.Contains(fe.M.Objects(cs.acts[0]), obj)
}

// SpawnedSummary returns the summary of the function a go statement
// starts, or nil.
func (fe *FnEvents) SpawnedSummary(g *ssa.Go) *facts.Summary {
	return fe.pass.SummaryOf(NewCallSite(g.Common(), g, g.Pos()))
}
