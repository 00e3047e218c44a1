package model

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
)

// prepass finds, before the dataflow, what the function's stores and
// containers say about object identity:
//   - a location stored exactly once holds the stored object (r.px = p; then
//     r.px is p), flow-insensitively;
//   - values of one local slice (append, reslicing, phis) are one container,
//     and loading an element of it may yield any object stored in it;
//   - a map made here that never escapes is a container, not an index.
func (m *FuncModel) prepass() {
	type store struct {
		locs []int
		val  ssa.Value
		at   *ssa.Store
	}
	var stores []store
	var loads []*ssa.UnOp
	count := make(map[int]int)
	for _, b := range m.Fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.UnOp:
				if x.Op == token.MUL && IsRef(x.Type()) {
					loads = append(loads, x)
				}
			case *ssa.Store:
				if !IsRef(x.Val.Type()) {
					continue
				}
				if ia, ok := x.Addr.(*ssa.IndexAddr); ok {
					m.addElems(ia.X, x.Val)
					continue
				}
				locs := m.contents(x.Addr)
				for _, l := range locs {
					count[m.Objs.Find(l)]++
				}
				stores = append(stores, store{locs, x.Val, x})
			case *ssa.Phi:
				if isContainer(x.Type()) {
					for _, e := range x.Edges {
						m.unionValues(x, e)
					}
				}
			case *ssa.Slice:
				m.unionValues(x, x.X)
			case *ssa.Call:
				m.prepassCall(x)
			case *ssa.MakeMap:
				if !escapes(x, make(map[ssa.Value]bool)) {
					m.locals[x] = true
				}
			}
		}
	}
	for _, b := range m.Fn.Blocks {
		for _, instr := range b.Instrs {
			if mu, ok := instr.(*ssa.MapUpdate); ok && m.isLocalMap(mu.Map) {
				m.addElems(mu.Map, mu.Value)
				m.addElems(mu.Map, mu.Key)
			}
		}
	}
	loadsOf := make(map[int][]*ssa.UnOp)
	for _, ld := range loads {
		for _, l := range m.contents(ld.X) {
			c := m.Objs.Find(l)
			if count[c] == 1 {
				loadsOf[c] = append(loadsOf[c], ld)
			}
		}
	}
	for _, s := range stores {
		vals := m.RawObjects(s.val)
		if len(s.locs) != 1 || len(vals) != 1 || count[m.Objs.Find(s.locs[0])] != 1 {
			continue
		}
		if !dominatesAll(s.at, loadsOf[m.Objs.Find(s.locs[0])]) {
			continue // c.nc.Close(); c.nc = nc: the load before the store is the old value
		}
		m.Objs.union(s.locs[0], vals[0])
	}
	m.canonicalElems()
}

// dominatesAll reports whether the store runs before each of the loads
// on every path: only then is what they load the stored value. A load in
// the recover block (the results a function with defers returns after a
// recovered panic) is not on a normal path, and does not count.
func dominatesAll(st *ssa.Store, loads []*ssa.UnOp) bool {
	for _, ld := range loads {
		sb, lb := st.Block(), ld.Block()
		if lb == lb.Parent().Recover || onlyNilTested(ld) {
			continue
		}
		if sb == lb {
			if InstrIndex(sb, st) > InstrIndex(lb, ld) {
				return false
			}
			continue
		}
		if !sb.Dominates(lb) {
			return false
		}
	}
	return true
}

// onlyNilTested reports whether a load is only compared with nil (the
// test of a lazy initialisation, if js.rsub == nil { js.rsub = sub }): it
// reads no object, so a store after it still names what the location
// holds.
func onlyNilTested(ld *ssa.UnOp) bool {
	refs := ld.Referrers()
	if refs == nil || len(*refs) == 0 {
		return false
	}
	for _, r := range *refs {
		switch x := r.(type) {
		case *ssa.DebugRef:
		case *ssa.BinOp:
			if (x.Op != token.EQL && x.Op != token.NEQ) || !isNil(x.X) && !isNil(x.Y) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func isNil(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.IsNil()
}

func (m *FuncModel) prepassCall(c *ssa.Call) {
	b, ok := c.Call.Value.(*ssa.Builtin)
	if !ok {
		return
	}
	switch b.Name() {
	case "append":
		if len(c.Call.Args) == 2 {
			m.unionValues(c, c.Call.Args[0])
			if _, isSlice := c.Call.Args[1].Type().Underlying().(*types.Slice); isSlice {
				m.addElemsOf(c.Call.Args[0], c.Call.Args[1])
			}
		}
	case "copy":
		if len(c.Call.Args) == 2 {
			m.addElemsOf(c.Call.Args[0], c.Call.Args[1])
		}
	}
}

// unionValues records that a and b are the same container.
func (m *FuncModel) unionValues(a, b ssa.Value) {
	ra, rb := m.RawObjects(a), m.RawObjects(b)
	if len(ra) == 1 && len(rb) == 1 {
		m.Objs.union(ra[0], rb[0])
	}
}

// addElems records that val is stored in the container.
func (m *FuncModel) addElems(container, val ssa.Value) {
	if !IsRef(val.Type()) {
		return
	}
	for _, e := range m.Extend(m.RawObjects(container), facts.StepElem) {
		m.elems[e] = AddSet(m.elems[e], m.RawObjects(val)...)
	}
}

// addElemsOf records that the elements of src are stored in dst.
func (m *FuncModel) addElemsOf(dst, src ssa.Value) {
	srcElems := m.Extend(m.RawObjects(src), facts.StepElem)
	for _, e := range m.Extend(m.RawObjects(dst), facts.StepElem) {
		m.elems[e] = AddSet(m.elems[e], srcElems...)
	}
}

// canonicalElems rekeys elems by canonical ids once all unions are known.
func (m *FuncModel) canonicalElems() {
	out := make(map[int][]int, len(m.elems))
	for k, vs := range m.elems {
		c := m.Objs.Find(k)
		out[c] = AddSet(out[c], vs...)
	}
	// An element pseudo-object that merely holds other containers' elements
	// must not expand to itself.
	for k, vs := range out {
		kept := vs[:0]
		for _, v := range vs {
			if m.Objs.Find(v) != k {
				kept = append(kept, v)
			}
		}
		out[k] = kept
	}
	m.elems = out
}

func (m *FuncModel) isLocalMap(v ssa.Value) bool {
	v = Strip(v)
	if phi, ok := v.(*ssa.Phi); ok && len(phi.Edges) > 0 {
		return m.isLocalMap(phi.Edges[0])
	}
	return m.locals[v]
}

func isContainer(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Slice, *types.Map:
		return true
	}
	return false
}

// escapes reports whether the map v may be seen outside its function: it is
// stored, returned, sent, captured or put in an interface. Passing it to a
// function does not count: what the callee does with it is applied through
// its summary, in which the map is a parameter.
func escapes(v ssa.Value, seen map[ssa.Value]bool) bool {
	if seen[v] {
		return false
	}
	seen[v] = true
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		switch x := r.(type) {
		case *ssa.MapUpdate:
			if x.Map != v {
				return true
			}
		case *ssa.Lookup, *ssa.Range, *ssa.DebugRef:
		case *ssa.Phi:
			if escapes(x, seen) {
				return true
			}
		case *ssa.ChangeType:
			if escapes(x, seen) {
				return true
			}
		case *ssa.Call:
			if x.Call.Value == v {
				return true
			}
		default:
			return true
		}
	}
	return false
}
