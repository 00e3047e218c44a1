package events

import (
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// What a type's per-object close does, and what an owner's teardown does
// to the objects of an index: the facts the closed check's bulk-teardown
// rule compares.

// PerObjectClose is a function that deletes its parameter, of type Type,
// from Idx and ends it or what it holds: that object's close.
type PerObjectClose struct {
	Fn   *ssa.Function
	Type *types.Named
	Idx  facts.IndexID
	Pos  token.Pos // the delete
}

// BulkEnd is an end, in a loop over Idx, of the objects it holds (of
// type Type), by a function that never removes from Idx.
type BulkEnd struct {
	Fn   *ssa.Function
	Type *types.Named
	Idx  facts.IndexID
	Call ssa.CallInstruction // the call that ends the object
	Arg  int                 // its argument naming the object (0: a method's receiver)
}

// PerObjectCloses returns the per-object closes fn makes, one per
// parameter and index.
func PerObjectCloses(p Pass, fn *ssa.Function) []PerObjectClose {
	var out []PerObjectClose
	for _, prm := range fn.Params {
		t := namedOf(prm.Type())
		if t == nil || !isPointer(prm.Type()) || !ends(p, fn, prm) {
			continue
		}
		for _, d := range deletesOf(p, fn, prm) {
			if !insertsInto(fn, prm, d.idx) {
				out = append(out, PerObjectClose{Fn: fn, Type: t, Idx: d.idx, Pos: d.pos})
			}
		}
	}
	return out
}

// BulkEnds returns the ends of fn's loops over an index that fn never
// removes from.
func BulkEnds(p Pass, fn *ssa.Function) []BulkEnd {
	if !ownerClose(fn) {
		return nil
	}
	var out []BulkEnd
	var removes map[facts.IndexID]bool
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			next, ok := instr.(*ssa.Next)
			if !ok || next.IsString {
				continue
			}
			rg, ok := next.Iter.(*ssa.Range)
			if !ok {
				continue
			}
			id, ok := model.DirectIndex(rg.X)
			if !ok || !id.Exported() {
				continue
			}
			elem := extractOf(next, 2)
			if elem == nil || !isPointer(elem.Type()) || namedOf(elem.Type()) == nil {
				continue
			}
			t := namedOf(elem.Type())
			if removes == nil {
				removes = removedIndexes(p, fn)
			}
			if removes[id] {
				continue
			}
			for _, e := range endCalls(p, fn, elem) {
				out = append(out, BulkEnd{Fn: fn, Type: t, Idx: id, Call: e.call, Arg: e.arg})
			}
		}
	}
	return out
}

// ownerClose reports whether fn, by its name, ends its owner's life: a
// method named Close, Shutdown or Stop, or close..., shutdown..., stop...,
// teardown... (a reconnect that closes its objects' connections and
// gives them new ones is no end).
func ownerClose(fn *ssa.Function) bool {
	if fn.Signature.Recv() == nil {
		return false
	}
	name := strings.ToLower(fn.Name())
	for _, p := range []string{"close", "shutdown", "stop", "teardown", "destroy"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

func isPointer(t types.Type) bool {
	_, ok := t.Underlying().(*types.Pointer)
	return ok
}

// extractOf returns the extract of next's tuple component i, or nil.
func extractOf(next *ssa.Next, i int) ssa.Value {
	for _, r := range *next.Referrers() {
		if ex, ok := r.(*ssa.Extract); ok && ex.Index == i {
			return ex
		}
	}
	return nil
}

// removedIndexes returns the indexes fn removes from, empties or replaces
// (directly or by a callee's delete).
func removedIndexes(p Pass, fn *ssa.Function) map[facts.IndexID]bool {
	out := make(map[facts.IndexID]bool)
	rs := FindRemovals(p, fn)
	for _, id := range rs.Cleared {
		out[id] = true
	}
	for _, s := range rs.Subjects {
		for _, r := range s.Removed {
			out[r.Idx] = true
		}
	}
	deleted, _ := DirectDeletes(p, fn)
	for _, id := range deleted {
		out[id] = true
	}
	return out
}

// insertsInto reports whether fn stores obj into idx itself (m[k] = obj):
// a function that puts it in and takes it out is no close of it.
func insertsInto(fn *ssa.Function, obj ssa.Value, idx facts.IndexID) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if mu, ok := instr.(*ssa.MapUpdate); ok && model.Strip(mu.Value) == obj {
				if id, ok := model.DirectIndex(mu.Map); ok && id == idx {
					return true
				}
			}
		}
	}
	return false
}

type deletion struct {
	idx facts.IndexID
	pos token.Pos
}

// deletesOf returns the indexes fn deletes obj from: delete(m, obj),
// delete(m, obj.key), or a callee's delete of (or by a field of) it.
func deletesOf(p Pass, fn *ssa.Function, obj ssa.Value) []deletion {
	var out []deletion
	add := func(id facts.IndexID, pos token.Pos) {
		for _, d := range out {
			if d.idx == id {
				return
			}
		}
		out = append(out, deletion{id, pos})
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			c := call.Common()
			if isBuiltin(*c, "delete") && len(c.Args) == 2 {
				if id, ok := model.DirectIndex(c.Args[0]); ok && id.Exported() && namesObject(c.Args[1], obj) {
					add(id, instr.Pos())
				}
				continue
			}
			callee := c.StaticCallee()
			if callee == nil || c.IsInvoke() {
				continue
			}
			fnObj, _ := callee.Object().(*types.Func)
			sum := p.FuncSummary(fnObj)
			if sum == nil {
				continue
			}
			for _, e := range sum.Effects {
				arg := summaryArg(e)
				if e.Op == rules.Delete && e.Index.Exported() && arg >= 0 && arg < len(c.Args) && namesObject(c.Args[arg], obj) {
					add(e.Index, instr.Pos())
				}
			}
		}
	}
	return out
}

// namesObject reports whether v is obj or a field loaded from it.
func namesObject(v, obj ssa.Value) bool {
	v = model.Strip(v)
	if v == obj {
		return true
	}
	if ld, ok := v.(*ssa.UnOp); ok && ld.Op == token.MUL {
		if fa, ok := ld.X.(*ssa.FieldAddr); ok {
			return model.Strip(fa.X) == obj
		}
	}
	return false
}

// ends reports whether fn ends obj or something it holds on some path.
func ends(p Pass, fn *ssa.Function, obj ssa.Value) bool {
	return len(endCalls(p, fn, obj)) > 0
}

type endCall struct {
	call ssa.CallInstruction
	arg  int
}

// endCalls returns fn's calls that end obj or what it holds: close of it
// or of a channel in its field, its own close method, or a callee whose
// summary closes or frees it or one of its fields, on every path.
func endCalls(p Pass, fn *ssa.Function, obj ssa.Value) []endCall {
	var out []endCall
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if _, isGo := instr.(*ssa.Go); isGo {
				continue
			}
			if arg := endsObject(p, call.Common(), obj); arg >= 0 {
				out = append(out, endCall{call, arg})
			}
		}
	}
	return out
}

func endsObject(p Pass, c *ssa.CallCommon, obj ssa.Value) int {
	if isBuiltin(*c, "close") {
		if len(c.Args) == 1 && namesObject(c.Args[0], obj) {
			return 0
		}
		return -1
	}
	if c.IsInvoke() {
		if closeMethod(c.Method.Name()) && namesObject(c.Value, obj) {
			return 0
		}
		return -1
	}
	callee := c.StaticCallee()
	if callee == nil {
		return -1
	}
	if callee.Signature.Recv() != nil && closeMethod(callee.Name()) && len(c.Args) > 0 && namesObject(c.Args[0], obj) {
		return 0
	}
	fnObj, _ := callee.Object().(*types.Func)
	sum := p.FuncSummary(fnObj)
	if sum == nil {
		return -1
	}
	for _, e := range sum.Effects {
		if (e.Op == rules.Close || e.Op == rules.Free) && !e.Maybe && e.Guard == nil && !e.Async &&
			e.Object.Base == facts.ParamOperand && e.Object.Pos < len(c.Args) && namesObject(c.Args[e.Object.Pos], obj) {
			return e.Object.Pos
		}
	}
	return -1
}
