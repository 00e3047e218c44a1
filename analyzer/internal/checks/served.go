package checks

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// A served registration is the closed check's goroutine end without a
// close: a channel registered in an index (a status listener) and read by
// one goroutine, started for it, and by nothing else. The registration
// lives as long as that goroutine reads it; when the goroutine returns on
// another signal (select { case <-ctx.Done(): return; case <-ch: ... })
// the channel is dead and must leave the index, or every later event is
// sent into a channel no one reads. It is reported at the go statement
// when neither the goroutine nor the function that starts it deletes
// from that index, and the function does nothing else with the channel.
// A goroutine that only returns when the channel is closed (for range
// ch) is ended by whoever closes it: that is not this rule's.

// Served reports each registration that only a goroutine of fe's
// function serves and that outlives it. Like Dropped it needs no
// dataflow.
func Served(fe *events.FnEvents, rep Reporter) {
	for _, b := range fe.M.Fn.Blocks {
		for _, instr := range b.Instrs {
			if g, ok := instr.(*ssa.Go); ok {
				servedAt(fe, g, rep)
			}
		}
	}
}

func servedAt(fe *events.FnEvents, g *ssa.Go, rep Reporter) {
	mc, ok := g.Call.Value.(*ssa.MakeClosure)
	if !ok {
		return
	}
	fn, ok := mc.Fn.(*ssa.Function)
	if !ok {
		return
	}
	for i, v := range mc.Bindings {
		if i >= len(fn.FreeVars) || !servesAmongOthers(fn, fn.FreeVars[i]) {
			continue
		}
		for _, o := range capturedChan(fe, v) {
			ins := insertBefore(fe, o, g)
			if ins == nil || usedElsewhere(fe, o, ins, mc, v) || releases(fe.SpawnedSummary(g), fe.Indexes[ins.Idx], i) || deletedAnywhere(fe, ins) {
				continue
			}
			rep.Served(fe, ins, o, g, fn.FreeVars[i].Name())
			return
		}
	}
}

// capturedChan returns the channel objects a closure's binding holds: the
// channel, or what its captured variable's cell was given.
func capturedChan(fe *events.FnEvents, v ssa.Value) []int {
	switch t := v.Type().Underlying().(type) {
	case *types.Chan:
		return fe.M.Objects(v)
	case *types.Pointer:
		if _, ok := t.Elem().Underlying().(*types.Chan); ok {
			return fe.M.Expand(fe.M.Extend(fe.M.RawObjects(v), facts.StepDeref))
		}
	}
	return nil
}

// servesAmongOthers reports whether fn receives from the channel fv
// holds (or, captured by reference, points at) in a select that also
// waits for another channel: it can return while the channel lives on.
func servesAmongOthers(fn *ssa.Function, fv ssa.Value) bool {
	isCh := func(v ssa.Value) bool {
		if ld, ok := v.(*ssa.UnOp); ok && ld.Op == token.MUL {
			v = ld.X
		}
		return v == fv
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			sel, ok := instr.(*ssa.Select)
			if !ok {
				continue
			}
			reads, others := false, false
			for _, st := range sel.States {
				if st.Dir != types.RecvOnly {
					continue
				}
				if isCh(st.Chan) {
					reads = true
				} else {
					others = true
				}
			}
			if reads && others {
				return true
			}
		}
	}
	return false
}

// usedElsewhere reports whether the function uses obj other than by
// registering it (ins) and handing it to the goroutine (mc, through the
// captured variable cell).
func usedElsewhere(fe *events.FnEvents, obj int, ins *events.Event, mc *ssa.MakeClosure, cell ssa.Value) bool {
	for _, b := range fe.M.Fn.Blocks {
		for _, instr := range b.Instrs {
			if instr == ins.Instr || instr == mc || isMaker(instr) {
				continue
			}
			if st, ok := instr.(*ssa.Store); ok && st.Addr == cell {
				continue
			}
			if g, ok := instr.(*ssa.Go); ok && g.Call.Value == mc {
				continue
			}
			if usesObject(fe, instr, obj, noIndex) {
				return true
			}
		}
	}
	return false
}

// noIndex names no index: usesObject then looks at the object alone.
const noIndex = -2

// isMaker reports whether instr makes a value (make(chan T)): making is
// no use.
func isMaker(instr ssa.Instruction) bool {
	_, ok := instr.(*ssa.MakeChan)
	return ok
}

// releases reports whether a goroutine's summary lets its channel (its
// captured variable fv) go: a delete from the index it is registered in,
// its own removal from whatever holds it, or its close (which the closed
// check judges). Closing something else releases nothing.
func releases(s *facts.Summary, id facts.IndexID, fv int) bool {
	if s == nil {
		return false
	}
	return slices.ContainsFunc(s.Effects, func(e facts.Effect) bool {
		own := e.Object.Base == facts.FreeVarOperand && e.Object.Pos == fv
		switch e.Op {
		case rules.Delete:
			return e.Index == id || e.Index.Kind == 0 && own
		case rules.Close:
			return own
		}
		return false
	})
}

// deletedAnywhere reports whether some event of the function, other than
// the registering call's own (a replacing insert), deletes from the index
// ins inserted into (a deferred removal, a cleanup after the goroutine is
// done).
func deletedAnywhere(fe *events.FnEvents, ins *events.Event) bool {
	for instr, evs := range fe.At {
		if instr == ins.Instr {
			continue
		}
		for _, ev := range evs {
			if ev.Kind == rules.Delete && (ev.Idx == ins.Idx || ev.Idx == events.AnyIndex) {
				return true
			}
		}
	}
	return false
}
