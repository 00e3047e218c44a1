package events

import (
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// Scan is a quick look at fn's instructions. full says some of them can
// be lifecycle operations that need the dataflow; otherwise deletes are
// the deletes by key of package-level or field indexes fn performs, which
// need no dataflow: most functions cost one scan.
func Scan(p Pass, fn *ssa.Function) (full bool, deletes []facts.Effect) {
	if fn.Signature.Recv() != nil && CloseNamed(fn.Name()) {
		return true, nil // a close method: what it closes and unlinks matters
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.MapUpdate:
				return true, nil
			case *ssa.Lookup:
				if holdsObjects(x.X.Type()) {
					return true, nil
				}
			case *ssa.Next:
				if r, ok := x.Iter.(*ssa.Range); ok && holdsObjects(r.X.Type()) {
					return true, nil
				}
			case *ssa.Store:
				if _, isMap := x.Val.Type().Underlying().(*types.Map); isMap {
					return true, nil
				}
			case *ssa.UnOp:
				if fa, ok := x.X.(*ssa.FieldAddr); ok && model.IsNamed(fa.X.Type(), "container/list", "Element") {
					return true, nil
				}
			case ssa.CallInstruction:
				ds, ok := callDeletes(p, x.Common())
				if !ok {
					return true, nil
				}
				deletes = append(deletes, ds...)
			}
		}
	}
	return false, deletes
}

// callDeletes returns the deletes by key of package-level or field indexes
// a call performs; ok is false when it may do more than that.
func callDeletes(p Pass, c *ssa.CallCommon) (ds []facts.Effect, ok bool) {
	if b, isBuiltin := c.Value.(*ssa.Builtin); isBuiltin {
		if b.Name() == "close" {
			return nil, false
		}
		if b.Name() != "delete" && b.Name() != "clear" {
			return nil, true
		}
		if _, isMap := c.Args[0].Type().Underlying().(*types.Map); !isMap || !p.Rules().MapKind() {
			return nil, true
		}
		id, direct := model.DirectIndex(c.Args[0])
		if !direct {
			return nil, false
		}
		e := facts.Effect{Op: rules.Delete, Index: id}
		if b.Name() == "delete" {
			if by, ok := model.KeyOperand(c.Args[1]); ok {
				e.By = &by
			}
		}
		return []facts.Effect{e}, true
	}
	if f := RunArgument(c); f != nil {
		return callDeletes(p, &ssa.CallCommon{Value: f})
	}
	var ran []facts.Effect
	for _, f := range RunArguments(p, c, nil) {
		ds, ok := callDeletes(p, &ssa.CallCommon{Value: f}) // what a function it runs does
		if !ok {
			return nil, false
		}
		ran = append(ran, ds...)
	}
	ds, ok = callDeletesOfCallee(p, c)
	return append(ran, ds...), ok
}

// callDeletesOfCallee is callDeletes for the callee itself, whatever
// functions the call runs.
func callDeletesOfCallee(p Pass, c *ssa.CallCommon) (ds []facts.Effect, ok bool) {
	cs := CallSite{Common: c}
	if c.IsInvoke() {
		if cs.ruled(p.Rules()) != nil || closeMethod(c.Method.Name()) {
			return nil, false
		}
		return keyDeletes(p.InvokeSummary(c))
	}
	switch v := c.Value.(type) {
	case *ssa.Function:
		cs.Callee = v
	case *ssa.MakeClosure:
		cs.Callee, _ = v.Fn.(*ssa.Function)
	default:
		return nil, true
	}
	if cs.ruled(p.Rules()) != nil || cs.Callee != nil && strings.HasPrefix(cs.Callee.Synthetic, "bound method wrapper") {
		return nil, false
	}
	if cs.Callee != nil && cs.Callee.Signature.Recv() != nil && closeMethod(cs.Callee.Name()) {
		return nil, false
	}
	return keyDeletes(p.SummaryOf(cs))
}

// keyDeletes returns the deletes by key of package-level or field indexes
// a summary makes; ok is false when it does more than that.
func keyDeletes(s *facts.Summary) (ds []facts.Effect, ok bool) {
	if s == nil {
		return nil, true
	}
	for _, e := range s.Effects {
		if e.Op != rules.Delete || e.Object.Base != facts.AnyObject || e.Key != nil || !e.Index.Exported() {
			return nil, false
		}
		ds = append(ds, facts.Effect{Op: rules.Delete, Index: e.Index}) // the callee's key is not this function's
	}
	return ds, true
}

// holdsObjects reports whether a map's keys or values can be objects.
func holdsObjects(t types.Type) bool {
	m, ok := t.Underlying().(*types.Map)
	return ok && (model.IsRef(m.Key()) || model.IsRef(m.Elem()))
}

// DirectDeletes returns the indexes that fn deletes from itself: delete
// on a map field or package-level map, and the built-in kinds' and rules'
// deletes (m.Delete(k), l.Remove(e)) on one. swept are those of them it
// deletes from in a loop, under a condition: a sweep that removes what
// expired, which keeps what it removes in the index on purpose until
// then. It needs no summaries, so a pass can ask it of every function
// before analysing any.
func DirectDeletes(p Pass, fn *ssa.Function) (out, swept []facts.IndexID) {
	var loops map[*ssa.BasicBlock]bool // made on the first delete
	note := func(id facts.IndexID, b *ssa.BasicBlock) {
		out = append(out, id)
		if loops == nil {
			loops = LoopBlocks(fn)
		}
		if loops[b] && len(b.Preds) == 1 && endsInIf(b.Preds[0]) && !loopHeader(b.Preds[0]) {
			swept = append(swept, id)
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			c := call.Common()
			if bi, ok := c.Value.(*ssa.Builtin); ok {
				if bi.Name() == "delete" {
					if id, ok := model.DirectIndex(c.Args[0]); ok {
						note(id, b)
					}
				}
				continue
			}
			cs := NewCallSite(c, instr, instr.Pos())
			for _, op := range cs.ruled(p.Rules()) {
				if op.Kind != rules.Delete || op.Index == rules.Any || op.Index >= len(cs.acts) {
					continue
				}
				if id, ok := model.DirectIndex(cs.acts[op.Index]); ok {
					note(id, b)
				}
			}
		}
	}
	return out, swept
}

// SweptByCalls returns the indexes fn sweeps through a callee: a call in
// a loop, under a condition, whose summary deletes by key from an index
// that outlives it (for id, c := range s.Clients.GetAll() { if expired(c)
// { s.Clients.Delete(id) } }). It needs the callees' summaries, so a pass
// asks it once they are known; DirectDeletes finds the direct sweeps.
func SweptByCalls(p Pass, fn *ssa.Function) []facts.IndexID {
	var out []facts.IndexID
	var loops map[*ssa.BasicBlock]bool
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			if _, builtin := call.Call.Value.(*ssa.Builtin); builtin {
				continue
			}
			s := calleeSummary(p, NewCallSite(call.Common(), instr, instr.Pos()))
			if s == nil {
				continue
			}
			for _, e := range s.Effects {
				if e.Op != rules.Delete || e.Object.Base != facts.AnyObject || e.Key != nil || !e.Index.Exported() {
					continue
				}
				if loops == nil {
					loops = LoopBlocks(fn)
				}
				if loops[b] && len(b.Preds) == 1 && endsInIf(b.Preds[0]) && !loopHeader(b.Preds[0]) {
					out = append(out, e.Index)
				}
			}
		}
	}
	return out
}

// LoopBlocks returns the blocks of fn that can run again (that reach
// themselves): the strongly connected components of its control flow
// graph with a cycle, found once per function in linear time.
func LoopBlocks(fn *ssa.Function) map[*ssa.BasicBlock]bool {
	n := len(fn.Blocks)
	index, low := make([]int, n), make([]int, n)
	on := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack []*ssa.BasicBlock
	next := 0
	out := make(map[*ssa.BasicBlock]bool)
	var visit func(b *ssa.BasicBlock)
	visit = func(b *ssa.BasicBlock) {
		i := b.Index
		index[i], low[i] = next, next
		next++
		stack = append(stack, b)
		on[i] = true
		for _, s := range b.Succs {
			switch {
			case index[s.Index] < 0:
				visit(s)
				low[i] = min(low[i], low[s.Index])
			case on[s.Index]:
				low[i] = min(low[i], index[s.Index])
			}
		}
		if low[i] != index[i] {
			return
		}
		var scc []*ssa.BasicBlock
		for {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			on[x.Index] = false
			scc = append(scc, x)
			if x == b {
				break
			}
		}
		if len(scc) > 1 || slices.Contains(b.Succs, b) {
			for _, x := range scc {
				out[x] = true
			}
		}
	}
	for _, b := range fn.Blocks {
		if index[b.Index] < 0 {
			visit(b)
		}
	}
	return out
}

// loopHeader reports whether b heads a loop (a back edge comes to it): its
// branch is the loop's own test, not a condition in its body.
func loopHeader(b *ssa.BasicBlock) bool {
	for _, p := range b.Preds {
		if b.Dominates(p) {
			return true
		}
	}
	return false
}

// endsInIf reports whether b ends in a branch.
func endsInIf(b *ssa.BasicBlock) bool {
	_, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	return ok
}
