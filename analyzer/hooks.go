package analyzer

import (
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

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
	var owner types.Type
	switch {
	case c.IsInvoke():
		recv = c.Value
		owner = recv.Type()
	case c.Signature().Recv() != nil && len(args) > 0:
		recv, args = args[0], args[1:]
		owner = recv.Type()
	default:
		// A constructor hands the object it makes its handlers
		// (NewConn(addr, cfg, &connDelegate{r})): they are that
		// object's.
		owner = constructed(c)
		if owner == nil {
			return
		}
	}
	for _, a := range args {
		env.hook(owner, a)
	}
}

// constructed returns the type a plain function call makes and returns (a
// pointer to a named type, its first result), or nil.
func constructed(c *ssa.CallCommon) types.Type {
	if c.StaticCallee() == nil {
		return nil
	}
	res := c.Signature().Results()
	if res.Len() == 0 {
		return nil
	}
	t := res.At(0).Type()
	if p, ok := t.Underlying().(*types.Pointer); ok {
		if _, named := types.Unalias(p.Elem()).(*types.Named); named {
			return t
		}
	}
	return nil
}

// handlerMethods returns the close handlers of an event handler object
// handed to another (a delegate whose OnClose the connection calls as it
// closes): its methods named for a close or a disconnect.
func (env *passEnv) handlerMethods(v ssa.Value) []*ssa.Function {
	t := model.Strip(v).Type()
	ptr, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	if named, ok := types.Unalias(ptr.Elem()).(*types.Named); !ok || named.Obj().Pkg() != env.pass.Pkg {
		return nil // a handler of this package's own
	}
	prog := env.pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA).Pkg.Prog
	ms := prog.MethodSets.MethodSet(t)
	var out []*ssa.Function
	for i := range ms.Len() {
		sel := ms.At(i)
		name := strings.ToLower(sel.Obj().Name())
		if !strings.Contains(name, "close") && !strings.Contains(name, "disconnect") {
			continue
		}
		if fn := prog.MethodValue(sel); fn != nil && fn.Pkg == env.pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA).Pkg {
			out = append(out, fn)
		}
	}
	return out
}

// hook records that objects of type owner run fv's deletes when they close.
func (env *passEnv) hook(owner types.Type, fv ssa.Value) {
	var fn *ssa.Function
	switch f := model.Strip(fv).(type) {
	case *ssa.MakeClosure:
		fn, _ = f.Fn.(*ssa.Function)
	case *ssa.Function:
		fn = f
	}
	if fn == nil {
		for _, m := range env.handlerMethods(fv) {
			env.hookFunc(owner, m)
		}
		return
	}
	env.hookFunc(owner, fn)
}

// hookFunc records that objects of type owner run fn's deletes when they
// close.
func (env *passEnv) hookFunc(owner types.Type, fn *ssa.Function) {
	s := env.byFn[fn]
	if m, ok := fn.Object().(*types.Func); ok && strings.HasPrefix(fn.Synthetic, "bound method wrapper") {
		s = env.FuncSummary(m.Origin()) // s.startGoRoutine(n.run)
	}
	if s == nil {
		return
	}
	for _, e := range s.Effects {
		if e.Op == rules.Delete && e.Index.Exported() {
			env.delegated.Add(owner, e.Index)
		}
	}
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
