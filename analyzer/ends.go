package analyzer

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// Ends of life other than a free: close(ch), an object's own Close,
// Shutdown or Stop method, and what a goroutine does to the objects it
// is started for.

// closeMethods are the method names whose call on an object closes it.
var closeMethods = map[string]bool{"Close": true, "Shutdown": true, "Stop": true}

// closeChan: close(ch) closes the channel ch.
func (fe *fnEvents) closeChan(c *ssa.CallCommon, pos token.Pos) []event {
	if len(c.Args) != 1 {
		return nil
	}
	objs := fe.m.objects(c.Args[0])
	if len(objs) == 0 {
		return nil
	}
	cs := newCallSite(c, nil, pos)
	return []event{{kind: rules.Close, objs: objs, idx: anyIndex, pos: pos, cs: &cs, argPos: 0}}
}

// ownClose: a call of the receiver's own Close, Shutdown or Stop method
// (with at most one parameter and one result, concrete or through an
// interface) closes the receiver.
func (fe *fnEvents) ownClose(cs callSite) (event, bool) {
	var sig *types.Signature
	var name string
	switch {
	case cs.common.IsInvoke():
		name, sig = cs.common.Method.Name(), cs.common.Method.Signature()
	case cs.callee != nil && !cs.bound && cs.callee.Signature.Recv() != nil:
		name, sig = cs.callee.Name(), cs.callee.Signature
	default:
		return event{}, false
	}
	if !closeMethods[name] || sig.Params().Len() > 1 || sig.Results().Len() > 1 || len(cs.acts) == 0 {
		return event{}, false
	}
	if name == "Stop" && !cs.common.IsInvoke() && resumable(cs.acts[0].Type()) {
		// A stopwatch (Start, Stop, Start again): its Stop ends a phase.
		// What its body closes, if anything, is learned from the body.
		return event{}, false
	}
	objs := fe.m.objects(cs.acts[0])
	if len(objs) == 0 {
		return event{}, false
	}
	ev := event{kind: rules.Close, objs: objs, idx: anyIndex, pos: cs.pos, cs: &cs, argPos: 0}
	// Stop() bool reports whether it stopped anything (time.Timer): a
	// timer that had already fired was not closed by this call.
	if sig.Results().Len() == 1 && cs.result != nil && isBool(sig.Results().At(0).Type()) {
		if key, ok := guardKey(fe.m, cs.result, &Guard{Value: true}); ok {
			ev.guard = &cond{key: key, val: true}
		}
	}
	return ev, true
}

func isBool(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.Bool
}

// closeChecked reports whether a closed object still in index idx at the
// end of a path is a defect this function reports: the index outlives the
// function. An object read out of an index passed in is the caller's to
// clean up (clear(m), m = nil), so that is left to the caller.
func (fe *fnEvents) closeChecked(idx int) bool {
	return fe.indexes[idx].exported()
}

// operandKeyAt returns the key identity, at a call, of a callee's key
// operand: the argument itself, or one field of it.
func (fe *fnEvents) operandKeyAt(cs callSite, o Operand) (any, bool) {
	if o.Base != ParamOperand || o.Pos >= len(cs.acts) {
		return nil, false
	}
	arg := cs.acts[o.Pos]
	steps := splitPath(o.Path)
	switch {
	case len(steps) == 0:
		return operandKey(fe.m, arg), true
	case len(steps) == 1 && steps[0] != stepDeref && steps[0] != stepElem:
		objs := fe.m.objects(arg)
		if len(objs) == 1 {
			return loadKey{objs[0], steps[0]}, true
		}
	}
	return nil, false
}

// delegations say, per index, the types of objects that something else
// deletes from it when they end: the goroutine started for them as it
// exits, or a close callback they were handed. Closing such an object is
// how that cleanup is set off.
type delegations map[IndexID][]types.Type

func (d delegations) add(t types.Type, idx IndexID) {
	t = derefAll(t)
	for _, u := range d[idx] {
		if types.Identical(u, t) {
			return
		}
	}
	d[idx] = append(d[idx], t)
}

// covers reports whether objects of type t (a concrete type, or an
// interface one of the delegated types implements) are deleted from idx
// by their own cleanup.
func (d delegations) covers(t types.Type, idx IndexID) bool {
	if t == nil {
		return false
	}
	t = derefAll(t)
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

// derefAll strips pointers.
func derefAll(t types.Type) types.Type {
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
func (fe *fnEvents) noteDelegation(x *ssa.Go, evs []event) {
	for _, ev := range evs {
		if ev.kind != rules.Delete || ev.idx == anyIndex || !fe.indexes[ev.idx].exported() {
			continue
		}
		for _, arg := range append(x.Call.Args, x.Call.Value) {
			if _, isPtr := arg.Type().Underlying().(*types.Pointer); isPtr || types.IsInterface(arg.Type()) {
				fe.env.delegated.add(arg.Type(), fe.indexes[ev.idx])
			}
		}
		if mc, ok := x.Call.Value.(*ssa.MakeClosure); ok {
			for _, b := range mc.Bindings {
				fe.env.delegated.add(b.Type(), fe.indexes[ev.idx])
			}
		}
	}
}

// objType is, for delegation, the type of the object an event ends: its
// argument or operand at the call, or nil when unknown.
func (ev *event) objType() types.Type {
	if ev.cs == nil {
		return nil
	}
	pos := ev.argPos
	if pos < 0 && ev.operand.Base == ParamOperand && ev.operand.Path == "" {
		pos = ev.operand.Pos
	}
	if pos < 0 || pos >= len(ev.cs.acts) {
		return nil
	}
	return strip(ev.cs.acts[pos]).Type()
}

// noteCloseHooks records the close callbacks of the package: a function
// value handed to an object (an argument of one of its methods, or stored
// in one of its fields) whose body deletes from an index. The object runs
// it when it closes (c.AddCloseCallback(func() { m.Delete(fd) })), so
// closing such an object is clean for that index, as for an object whose
// goroutine deletes it.
func (env *passEnv) noteCloseHooks(funcs []*ssa.Function) {
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch x := instr.(type) {
				case *ssa.MakeClosure:
					env.capturedBy(x)
				case *ssa.Call:
					env.hookArgs(x.Common())
				case *ssa.Store:
					if fa, ok := x.Addr.(*ssa.FieldAddr); ok {
						env.hook(fa.X.Type(), x.Val)
					}
				}
			}
		}
	}
}

// hookArgs: the function values passed to a method of an object.
func (env *passEnv) hookArgs(c *ssa.CallCommon) {
	var recv ssa.Value
	args := c.Args
	switch {
	case c.IsInvoke():
		recv = c.Value
	case c.Signature().Recv() != nil && len(args) > 0:
		recv, args = args[0], args[1:]
	default:
		return
	}
	for _, a := range args {
		env.hook(recv.Type(), a)
	}
}

// hook records that objects of type owner run fv's deletes when they close.
func (env *passEnv) hook(owner types.Type, fv ssa.Value) {
	var fn *ssa.Function
	switch f := strip(fv).(type) {
	case *ssa.MakeClosure:
		fn, _ = f.Fn.(*ssa.Function)
	case *ssa.Function:
		fn = f
	}
	if fn == nil {
		return
	}
	s := env.byFn[fn]
	if m, ok := fn.Object().(*types.Func); ok && strings.HasPrefix(fn.Synthetic, "bound method wrapper") {
		s = env.funcSummary(m.Origin()) // s.startGoRoutine(n.run)
	}
	if s == nil {
		return
	}
	for _, e := range s.Effects {
		if e.Op == rules.Delete && e.Index.exported() {
			env.delegated.add(owner, e.Index)
		}
	}
}

// cleanupField: in the receiver's own close method, a call of a function
// the receiver holds in a field (l.cleanup(), c.onClose()) is the cleanup
// it was handed when it was registered — the idiom stop := Register(x) —
// so it counts as the receiver unlinking itself from whatever holds it.
func (fe *fnEvents) cleanupField(cs callSite) (event, bool) {
	fn := fe.m.fn
	if cs.common.IsInvoke() || cs.callee != nil || fn.Signature.Recv() == nil || len(fn.Params) == 0 || !closeNamed(fn.Name()) {
		return event{}, false
	}
	ld, ok := cs.common.Value.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return event{}, false
	}
	fa, ok := ld.X.(*ssa.FieldAddr)
	if !ok {
		return event{}, false
	}
	recv := fe.m.objects(fn.Params[0])
	if objs := fe.m.objects(fa.X); len(recv) != 1 || len(objs) != 1 || objs[0] != recv[0] {
		return event{}, false
	}
	return event{kind: rules.Delete, objs: recv, idx: anyIndex, pos: cs.pos, cs: &cs, argPos: -1}, true
}

// capturedBy: a function literal that deletes from an index, wherever it
// is run (a goroutine started through a helper, s.startGoRoutine(func() {
// n.run() }), a callback), is the cleanup of the objects it captures.
func (env *passEnv) capturedBy(mc *ssa.MakeClosure) {
	fn, ok := mc.Fn.(*ssa.Function)
	if !ok {
		return
	}
	for _, b := range mc.Bindings {
		env.hook(b.Type(), fn)
	}
	// A hook handed the object as an argument (a server's ConnState
	// callback, func(c net.Conn, st ConnState) { ... delete(s.conns, c) })
	// is its cleanup as much as one that captured it.
	for _, p := range fn.Params {
		if _, isPtr := p.Type().Underlying().(*types.Pointer); isPtr || types.IsInterface(p.Type()) {
			env.hook(p.Type(), fn)
		}
	}
}

// resumable reports whether values of type t can be started again after a
// stop (a Start, Resume or Restart method): stopping one ends a phase, not
// its life (a stopwatch, etcd's paused remotes).
func resumable(t types.Type) bool {
	for _, m := range []string{"Start", "start", "Resume", "resume", "Restart", "restart"} {
		if hasMethod(t, m) {
			return true
		}
	}
	return false
}

// hasMethod reports whether values of type t have a method called name.
func hasMethod(t types.Type, name string) bool {
	var pkg *types.Package
	if n, ok := types.Unalias(derefAll(t)).(*types.Named); ok {
		pkg = n.Obj().Pkg()
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, pkg, name)
	_, ok := obj.(*types.Func)
	return ok
}
