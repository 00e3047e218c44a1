package analyzer

import (
	"slices"

	"golang.org/x/tools/go/ssa"
)

// callGraph is the package's static call graph: a closure counts as a
// callee of the function that makes it.
type callGraph struct {
	succs map[*ssa.Function][]*ssa.Function
	// sccs are the strongly connected components, callees first, so that
	// a caller is analysed with its callees' summaries at hand.
	sccs [][]*ssa.Function
}

// invokeTarget resolves a call through an interface to the function it
// reaches, or nil.
type invokeTarget func(*ssa.CallCommon) *ssa.Function

func newCallGraph(funcs []*ssa.Function, resolve invokeTarget) *callGraph {
	in := make(map[*ssa.Function]bool, len(funcs))
	for _, f := range funcs {
		in[f] = true
	}
	g := &callGraph{succs: make(map[*ssa.Function][]*ssa.Function, len(funcs))}
	for _, f := range funcs {
		g.succs[f] = callees(f, in, resolve)
	}
	t := tarjan{index: make(map[*ssa.Function]int), low: make(map[*ssa.Function]int), on: make(map[*ssa.Function]bool)}
	t.succs = func(f *ssa.Function) []*ssa.Function { return g.succs[f] }
	for _, f := range funcs {
		if _, seen := t.index[f]; !seen {
			t.visit(f)
		}
	}
	g.sccs = t.sccs
	return g
}

// recursive reports whether the functions of scc call one another.
func (g *callGraph) recursive(scc []*ssa.Function) bool {
	return len(scc) > 1 || slices.Contains(g.succs[scc[0]], scc[0])
}

func callees(f *ssa.Function, in map[*ssa.Function]bool, resolve invokeTarget) []*ssa.Function {
	var out []*ssa.Function
	add := func(g *ssa.Function) {
		if g == nil {
			return
		}
		if o := g.Origin(); o != nil {
			g = o
		}
		if in[g] {
			out = append(out, g)
		}
	}
	for _, b := range f.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case ssa.CallInstruction:
				if c := x.Common(); c.IsInvoke() {
					add(resolve(c))
				} else {
					add(c.StaticCallee())
				}
			case *ssa.MakeClosure:
				g, _ := x.Fn.(*ssa.Function)
				add(g)
			}
		}
	}
	return out
}

// tarjan finds strongly connected components; they come out in reverse
// topological order, which is callees first.
type tarjan struct {
	succs func(*ssa.Function) []*ssa.Function
	index map[*ssa.Function]int
	low   map[*ssa.Function]int
	on    map[*ssa.Function]bool
	stack []*ssa.Function
	next  int
	sccs  [][]*ssa.Function
}

func (t *tarjan) visit(f *ssa.Function) {
	t.index[f], t.low[f] = t.next, t.next
	t.next++
	t.stack = append(t.stack, f)
	t.on[f] = true
	for _, g := range t.succs(f) {
		if _, seen := t.index[g]; !seen {
			t.visit(g)
			t.low[f] = min(t.low[f], t.low[g])
		} else if t.on[g] {
			t.low[f] = min(t.low[f], t.index[g])
		}
	}
	if t.low[f] != t.index[f] {
		return
	}
	var scc []*ssa.Function
	for {
		g := t.stack[len(t.stack)-1]
		t.stack = t.stack[:len(t.stack)-1]
		t.on[g] = false
		scc = append(scc, g)
		if g == f {
			break
		}
	}
	t.sccs = append(t.sccs, scc)
}
