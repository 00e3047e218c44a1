package analyzer

import (
	"go/types"
	"strings"

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
	switch f := model.Strip(fv).(type) {
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
