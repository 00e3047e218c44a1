package analyzer

import (
	"go/types"
	"slices"
	"strings"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"golang.org/x/tools/go/ssa"
)

// An object is what lifecyclecheck follows through a function: an SSA value
// normalised to its root, with the access path of fields loaded on the way.
// &p.node is the object p (an intrusive node names its owner); p.child is the
// object at path |child of p.
type objKey struct {
	root ssa.Value
	path string // "|"-separated steps: a field ID, "*" (deref), "[]" (element), "#i" (result i)
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
func (k objKey) extend(step string) objKey {
	steps := facts.SplitPath(k.path)
	n := 0
	for _, s := range steps {
		if s != facts.StepDeref {
			n++
		}
	}
	if n < maxPath {
		return objKey{k.root, k.path + "|" + step}
	}
	if steps[len(steps)-1] == step {
		return k
	}
	keep := steps[:len(steps)-1]
	if len(keep) == 0 || keep[len(keep)-1] != stepCut {
		keep = append(keep, stepCut)
	}
	return objKey{k.root, "|" + strings.Join(append(slices.Clone(keep), step), "|")}
}

// objTable interns objects and keeps the classes of objects known to be the
// same (a field stored once, then loaded) in a union-find.
type objTable struct {
	keys    []objKey
	ids     map[objKey]int
	parent  []int
	members map[int][]int
}

func newObjTable() *objTable {
	return &objTable{ids: make(map[objKey]int), members: make(map[int][]int)}
}

func (t *objTable) id(k objKey) int {
	if i, ok := t.ids[k]; ok {
		return i
	}
	i := len(t.keys)
	t.keys = append(t.keys, k)
	t.parent = append(t.parent, i)
	t.ids[k] = i
	t.members[i] = []int{i}
	return i
}

func (t *objTable) find(i int) int {
	for t.parent[i] != i {
		t.parent[i] = t.parent[t.parent[i]]
		i = t.parent[i]
	}
	return i
}

func (t *objTable) union(a, b int) {
	a, b = t.find(a), t.find(b)
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
func (t *objTable) classMembers(i int, limit int) []objKey {
	ms := t.members[t.find(i)]
	if len(ms) > limit {
		ms = ms[:limit]
	}
	out := make([]objKey, len(ms))
	for j, m := range ms {
		out[j] = t.keys[m]
	}
	return out
}

// addSet adds x to the set s (of canonical ids), keeping it bounded.
func addSet(s []int, xs ...int) []int {
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

// isRef reports whether values of type t can point at an object: only
// those can put an object in an index (a map of struct values holds copies).
func isRef(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Pointer, *types.Interface, *types.Map, *types.Slice, *types.Chan:
		return true
	case *types.Basic:
		return u.Kind() == types.UnsafePointer
	}
	_, isParam := t.(*types.TypeParam)
	return isParam
}

// strip removes conversions that keep an object's identity.
func strip(v ssa.Value) ssa.Value {
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
