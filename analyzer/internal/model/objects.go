package model

import (
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
)

// ObjKey is an object, what lifecyclecheck follows through a function: an SSA value
// normalised to its root, with the access path of fields loaded on the way.
// &p.node is the object p (an intrusive node names its owner); p.child is the
// object at path |child of p.
type ObjKey struct {
	Root ssa.Value // the value the object is rooted at
	Path string    // "|"-separated steps: a field ID, "*" (deref), "[]" (element), "#i" (result i)
}

const (
	stepCut = "…" // steps left out of a long path
	maxPath = 4   // steps; longer paths are cut, which only loses precision
	maxSet  = 8   // objects a value may stand for (phis, local containers)
)

// extend returns the object at step from k. Past maxPath steps (loads
// through a captured variable's cell do not count) the path keeps its
// first steps and the last one, marked cut: a deep object still differs
// from its parent (c.buf is not c), though deep objects that end alike
// are confused with each other.
func (k ObjKey) extend(step string) ObjKey {
	steps := facts.SplitPath(k.Path)
	n := 0
	for _, s := range steps {
		if s != facts.StepDeref {
			n++
		}
	}
	if n < maxPath {
		return ObjKey{k.Root, k.Path + "|" + step}
	}
	if steps[len(steps)-1] == step {
		return k
	}
	keep := steps[:len(steps)-1]
	if len(keep) == 0 || keep[len(keep)-1] != stepCut {
		keep = append(keep, stepCut)
	}
	return ObjKey{k.Root, "|" + strings.Join(append(slices.Clone(keep), step), "|")}
}

// ObjTable interns objects and keeps the classes of objects known to be the
// same (a field stored once, then loaded) in a union-find.
type ObjTable struct {
	Keys    []ObjKey // the objects, by id
	ids     map[ObjKey]int
	parent  []int
	members map[int][]int
}

func newObjTable() *ObjTable {
	return &ObjTable{ids: make(map[ObjKey]int), members: make(map[int][]int)}
}

// ID returns the id of the object k, interning it on first use.
func (t *ObjTable) ID(k ObjKey) int {
	if i, ok := t.ids[k]; ok {
		return i
	}
	i := len(t.Keys)
	t.Keys = append(t.Keys, k)
	t.parent = append(t.parent, i)
	t.ids[k] = i
	t.members[i] = []int{i}
	return i
}

// Find returns the canonical id of i's class.
func (t *ObjTable) Find(i int) int {
	for t.parent[i] != i {
		t.parent[i] = t.parent[t.parent[i]]
		i = t.parent[i]
	}
	return i
}

func (t *ObjTable) union(a, b int) {
	a, b = t.Find(a), t.Find(b)
	if a == b {
		return
	}
	if b < a {
		a, b = b, a
	}
	t.parent[b] = a
	t.members[a] = append(t.members[a], t.members[b]...)
	delete(t.members, b)
}

// classMembers returns the keys of i's class, at most limit of them.
func (t *ObjTable) classMembers(i int, limit int) []ObjKey {
	ms := t.members[t.Find(i)]
	if len(ms) > limit {
		ms = ms[:limit]
	}
	out := make([]ObjKey, len(ms))
	for j, m := range ms {
		out[j] = t.Keys[m]
	}
	return out
}

// AddSet adds x to the set s (of canonical ids), keeping it bounded.
func AddSet(s []int, xs ...int) []int {
	for _, x := range xs {
		found := false
		for _, y := range s {
			if y == x {
				found = true
				break
			}
		}
		if !found && len(s) < maxSet {
			s = append(s, x)
		}
	}
	return s
}

// IsRef reports whether values of type t can point at an object: only
// those can put an object in an index (a map of struct values holds copies).
func IsRef(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Pointer, *types.Interface, *types.Map, *types.Slice, *types.Chan:
		return true
	case *types.Basic:
		return u.Kind() == types.UnsafePointer
	}
	_, isParam := t.(*types.TypeParam)
	return isParam
}

// SlotValues returns the values a load from a variable may give: where v
// is loaded from a local variable or a result slot (a function with
// defers returns through one, each return statement storing its own),
// every value stored in it; else v itself.
func SlotValues(v ssa.Value) []ssa.Value {
	ld, ok := v.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return []ssa.Value{v}
	}
	slot, ok := ld.X.(*ssa.Alloc)
	if !ok {
		return []ssa.Value{v}
	}
	var out []ssa.Value
	for _, ref := range *slot.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == slot {
			out = append(out, st.Val)
		}
	}
	if len(out) == 0 {
		return []ssa.Value{v}
	}
	return out
}

// Strip removes conversions that keep an object's identity.
func Strip(v ssa.Value) ssa.Value {
	for {
		switch x := v.(type) {
		case *ssa.ChangeType:
			v = x.X
		case *ssa.Convert:
			v = x.X
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeInterface:
			v = x.X
		case *ssa.SliceToArrayPointer:
			v = x.X
		case *ssa.TypeAssert:
			if x.CommaOk {
				return v
			}
			v = x.X
		case *ssa.Extract:
			ta, ok := x.Tuple.(*ssa.TypeAssert)
			if !ok || x.Index != 0 {
				return v
			}
			v = ta.X
		default:
			return v
		}
	}
}
