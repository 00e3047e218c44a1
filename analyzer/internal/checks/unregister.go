package checks

import (
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// The unregister check looks at a type's constructor and its close
// method together. A constructor (a function returning *T) that
// registers the new object, or an object it owns (one of its fields), in
// an index that outlives it, a package-level index or a registry passed
// in, makes an obligation for T's Close, Stop or Shutdown: the evidence is
// the type's own close method, the one place that ends it. A close method
// that removes it from no index leaves it registered, unless another
// function of the package deletes from that index (an owner that
// unregisters what it closes, a server's reaper): then removal is that
// function's job. Only a removal of a T counts: the other members of a
// registry are not the T's evidence. A type without a close method is not checked.

// Registration is one insert a constructor makes.
type Registration struct {
	Ctor   *types.Func
	Type   *types.Named   // T
	Insert facts.Effect   // insert r<i>[.field] into Index
	Obj    types.Type     // what went in: *T, or the type of its field
	Close  *types.Func    // T's close method
	Sum    *facts.Summary // the close method's summary, nil if it does nothing
	Exits  []CloseExit    // the close method's returns, when its dataflow ran
}

// UnregisterReporter receives the unregister check's defects.
type UnregisterReporter interface {
	// Unregister: reg.Close does not remove what reg.Ctor registered: on
	// no path, or (skipped non-nil) where it returns at skipped.
	Unregister(reg Registration, skipped *ssa.Return)
}

// Registered returns the registrations a constructor's summary makes: the
// inserts of a result of type *T (or of a field of it) into a global, a
// field or a parameter's index, with T's close method. A result of an
// interface type registers the *T the constructor returns in it, when it
// returns one type only (resultTypes says which: a factory method
// returning a Reader made by newReader registers a *reader). What is
// registered must be a resource: a name or a number registered under its
// owner is data. closeOf finds T's close method, or nil.
func Registered(ctor *types.Func, sum *facts.Summary, resultTypes func(pos int) []*types.Named, closeOf func(*types.Named) *types.Func) []Registration {
	var out []Registration
	res := ctor.Signature().Results()
	for _, e := range sum.Effects {
		if e.Op != rules.Insert || e.Read || e.Object.Base != facts.ResultOperand || e.Object.Pos >= res.Len() {
			continue
		}
		switch e.Index.Kind {
		case facts.GlobalIndex, facts.FieldIndex, facts.ParamIndex:
		default:
			continue
		}
		if n := len(facts.SplitPath(e.Object.Path)); n > 2 {
			continue // the object, or one field of it (with its deref)
		}
		ts := []*types.Named{namedOf(res.At(e.Object.Pos).Type())}
		if types.IsInterface(res.At(e.Object.Pos).Type()) {
			ts = resultTypes(e.Object.Pos)
			if len(ts) != 1 {
				continue // one of several wrappers: which one went in is not known
			}
		}
		for _, t := range ts {
			if t == nil || t.Obj().Pkg() != ctor.Pkg() || ownIndex(e.Index, t) {
				continue
			}
			obj := registeredType(t, e.Object.Path)
			if obj != nil && !resource(obj) {
				continue // a name or a number registered under its owner: data, not the owner
			}
			if cl := closeOf(t); cl != nil {
				out = append(out, Registration{Ctor: ctor, Type: t, Insert: e, Close: cl, Obj: obj})
			}
		}
	}
	return out
}

// ownIndex reports whether index id is a field of T itself (a server's
// table of its own queues): what T registers there dies with it.
func ownIndex(id facts.IndexID, t *types.Named) bool {
	if id.Kind != facts.FieldIndex || t.Obj().Pkg() == nil {
		return false
	}
	return strings.HasPrefix(id.Name, t.Obj().Pkg().Path()+"."+t.Obj().Name()+".")
}

// registeredType returns the type of what a constructor registered: the
// *T it made, or the field of it that path names ("|pkg.T.field").
func registeredType(t *types.Named, path string) types.Type {
	for _, step := range facts.SplitPath(path) {
		if step == facts.StepDeref {
			continue
		}
		name := step[strings.LastIndex(step, ".")+1:]
		if obj, _, _ := types.LookupFieldOrMethod(t, true, t.Obj().Pkg(), name); obj != nil {
			if v, ok := obj.(*types.Var); ok && v.IsField() {
				return v.Type()
			}
		}
		return nil
	}
	return types.NewPointer(t)
}

func namedOf(t types.Type) *types.Named {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, _ := types.Unalias(t).(*types.Named)
	return n
}

// Unregister judges each registration: its close method must delete it
// (the receiver, or the field it was registered as) from its index, or
// some function of the package must delete an object of its type from
// that index (deletedFrom): the evidence is per object, not per index, so
// a registry whose other members are unregistered excuses nothing.
func Unregister(regs []Registration, deletedFrom func(facts.IndexID, types.Type) bool, rep UnregisterReporter) {
	for _, reg := range regs {
		if removes(reg) {
			if ret := skipping(reg); ret != nil {
				rep.Unregister(reg, ret)
			}
			continue
		}
		if reg.Insert.Index.Kind != facts.ParamIndex && reg.Obj != nil && deletedFrom(reg.Insert.Index, reg.Obj) {
			continue
		}
		rep.Unregister(reg, nil)
	}
}

// skipping returns a return of the close method whose paths close
// something but delete nothing from the registration's index, while
// other paths do: a close that fails half-way and returns before it
// unregisters. An early return that closes nothing (if c.closed { return
// nil }) is the second call of an idempotent close, and not one.
func skipping(reg Registration) *ssa.Return {
	for _, x := range reg.Exits {
		if !x.Closed || x.Guarded || nilWhenSkipped(reg, x) || slices.ContainsFunc(x.Deleted, func(id facts.IndexID) bool {
			return id == reg.Insert.Index || reg.Insert.Index.Kind == facts.ParamIndex
		}) {
			continue
		}
		return x.Ret
	}
	return nil
}

// nilWhenSkipped reports whether the delete x skips is decided by a nil
// test of the very field that was registered: nothing to remove there.
func nilWhenSkipped(reg Registration, x CloseExit) bool {
	steps := facts.SplitPath(reg.Insert.Object.Path)
	return len(steps) > 0 && slices.Contains(x.NilTested, steps[0])
}

// removes reports whether reg's close method deletes what was registered.
func removes(reg Registration) bool {
	if reg.Sum == nil {
		return false
	}
	self := facts.Operand{Base: facts.ParamOperand, Pos: 0, Path: reg.Insert.Object.Path}
	return slices.ContainsFunc(reg.Sum.Effects, func(e facts.Effect) bool {
		if e.Op != rules.Delete && e.Op != rules.Free {
			return false
		}
		if reg.Insert.Index.Kind == facts.ParamIndex {
			return e.Object == self // a registry passed in: out of whatever it is in
		}
		sameIndex := e.Index == reg.Insert.Index || e.Index.Kind == 0
		return sameIndex && (e.Object == self || e.Object.Base == facts.AnyObject || e.Object.Base == facts.ParamOperand && e.Object.Pos == 0)
	})
}

var unregisterDoc = Doc{
	Check: rules.CheckUnregister,
	Title: "Close method leaves what the constructor registered",
	Reports: "A type's constructor (a function returning `*T`, or an interface that holds one `*T`) " +
		"registers the object, or one of its fields, in an index that outlives it (a package-level " +
		"index, another object's field index, a registry passed in), and its `Close`, `Stop` or " +
		"`Shutdown` does not remove it, on no path or on a path that returns before the removal its " +
		"other paths make. Reported at the close method.",
	Details: "Removal is another function's job, and nothing is reported, when another function of the " +
		"package removes an object of that same type from that index, or deletes from it by a plain key a " +
		"parameter gives; an owner's teardown that empties the index is no such evidence. Let be: a " +
		"`Stop` of a type that can start again, a close that releases one reference, an index the " +
		"package sweeps, an index in a field of the type itself, and the second call of an idempotent " +
		"close (an early return that closes nothing), and a path on which the registered field itself is " +
		"nil. A type without a close method is not checked.\n\n" +
		"A registration held by a per-call object is reported too: a function makes an object for the " +
		"call (an allocation, or a fresh one from a constructor of the package), never hands it out, and " +
		"a method of it registers something the object keeps in a field (a reply subscription it would " +
		"unsubscribe later) in an index that outlives the call; where the function returns with it still " +
		"registered, the only handle on it dies with the object. Reported at the call that registered it, " +
		"once per object. What the object was given when it was made, and the standard library's own " +
		"bookkeeping (a context's children), and what the path closes (the closed check's question), are " +
		"not judged. Today the rule sees such registrations in functions that return an error or remove " +
		"from that index themselves: elsewhere the engine drops the insert before the dataflow.",
	Example: `
package example

type Registry struct{ workers map[*Worker]bool }

type Worker struct{ done chan struct{} }

func NewWorker(r *Registry) *Worker { // want NewWorker:"insert r0 into Registry.workers"
	w := &Worker{done: make(chan struct{})}
	r.workers[w] = true
	return w
}

func (w *Worker) Close() error { // want Close:"close p0" "\\(\\*Worker\\)\\.Close leaves w in Registry\\.workers"
	close(w.done)
	return nil
}
`,
	Report: "example.go:13:18: (*Worker).Close leaves w in Registry.workers: NewWorker registers it there and Close does not remove it [unregister]",
	Fix:    "remove the object from the index in its close method (keep the registry in a field to do so).",
	NoFix:  "the close method needs the registry it removes the object from, which it may not hold",
}
