package rules

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Built-in kinds of index and free, each on by default.
const (
	KindMap     = "map"            // m[k] = v, delete(m, k), clear(m), lookups and range
	KindSyncMap = "sync.Map"       // Store, LoadOrStore, Swap, Delete, Load, ...
	KindList    = "container/list" // PushBack, PushFront, InsertBefore/After, Remove, Init
	KindPool    = "sync.Pool"      // Put frees its argument
)

// Kinds lists the built-in kinds in a stable order.
func Kinds() []string {
	return []string{KindMap, KindSyncMap, KindList, KindPool}
}

// builtinOps is the hand-collected API knowledge of the standard library,
// keyed by types.Func.FullName. The map kind is not here: its operations are
// language constructs, which the engine recognises itself.
var builtinOps = map[string]struct {
	kind string
	ops  []Op
}{
	"(*sync.Map).Store":            {KindSyncMap, []Op{{Insert, 0, 1}, {Insert, 0, 2}}},
	"(*sync.Map).LoadOrStore":      {KindSyncMap, []Op{{Insert, 0, 1}, {Insert, 0, 2}, {Read, 0, 0}}},
	"(*sync.Map).Swap":             {KindSyncMap, []Op{{Insert, 0, 1}, {Insert, 0, 2}}},
	"(*sync.Map).CompareAndSwap":   {KindSyncMap, []Op{{Delete, 0, 2}, {Insert, 0, 3}}},
	"(*sync.Map).Load":             {KindSyncMap, []Op{{Read, 0, 0}}},
	"(*sync.Map).Delete":           {KindSyncMap, []Op{{Delete, 0, Any}}},
	"(*sync.Map).LoadAndDelete":    {KindSyncMap, []Op{{Delete, 0, Any}}},
	"(*sync.Map).CompareAndDelete": {KindSyncMap, []Op{{Delete, 0, Any}}},
	"(*sync.Map).Clear":            {KindSyncMap, []Op{{Delete, 0, Any}}},

	"(*container/list.List).PushBack":     {KindList, []Op{{Insert, 0, 1}}},
	"(*container/list.List).PushFront":    {KindList, []Op{{Insert, 0, 1}}},
	"(*container/list.List).InsertBefore": {KindList, []Op{{Insert, 0, 1}}},
	"(*container/list.List).InsertAfter":  {KindList, []Op{{Insert, 0, 1}}},
	// Remove(e) names the object only through its element, which may come
	// from anywhere: it counts as a delete from the list, as a delete by key.
	"(*container/list.List).Remove": {KindList, []Op{{Delete, 0, Any}}},
	"(*container/list.List).Init":   {KindList, []Op{{Delete, 0, Any}}},

	"(*sync.Pool).Put": {KindPool, []Op{{Free, Any, 1}}},
}

// keyed lists the built-in operations that address their index by key:
// the key's parameter position, and whether an insert replaces what was
// under an equal key (as m[k] = v does).
var keyed = map[string]struct {
	pos      int
	replaces bool
}{
	"(*sync.Map).Store":       {1, true},
	"(*sync.Map).Swap":        {1, true},
	"(*sync.Map).LoadOrStore": {1, false},
	"(*sync.Map).Load":        {1, false},
}

// Keyed returns the position of the key parameter of a built-in operation
// that addresses its index by key, and whether its insert replaces the
// entry under an equal key.
func (s *Set) Keyed(fullName string) (pos int, replaces, ok bool) {
	k, ok := keyed[fullName]
	if !ok || s.Lookup(fullName) == nil {
		return 0, false, false
	}
	return k.pos, k.replaces, true
}

// Set maps functions, by types.Func.FullName, to the operations they perform.
// A nil *Set is empty. A Set is immutable once built and safe for concurrent use.
type Set struct {
	// Groups are the groups of indexes that the rules file declares (its
	// groups:), each the full names of indexes an object leaves together,
	// sorted; the groups come in file order. Read only: a Set is shared.
	// A nil *Set has none: check for nil before reading the field.
	Groups [][]string

	ops      map[string][]Op
	disabled []string
	pkgs     map[string]bool // the packages of the functions in ops
}

// Builtin returns the set of built-in operations with the named kinds turned
// off. It reports an error for a name that is not a kind.
func Builtin(disabled ...string) (*Set, error) {
	for _, d := range disabled {
		if err := checkKind(d); err != nil {
			return nil, err
		}
	}
	s := &Set{ops: make(map[string][]Op), disabled: slices.Clone(disabled)}
	for name, b := range builtinOps {
		if !slices.Contains(disabled, b.kind) {
			s.ops[name] = b.ops
		}
	}
	s.indexPackages()
	return s, nil
}

// checkKind returns an error if name is not a built-in kind.
func checkKind(name string) error {
	if !slices.Contains(Kinds(), name) {
		return fmt.Errorf("unknown built-in kind %q: want one of %s", name, strings.Join(Kinds(), ", "))
	}
	return nil
}

// indexPackages records which packages have operations, so that callers
// can skip, without formatting a name, the calls that cannot match.
func (s *Set) indexPackages() {
	s.pkgs = make(map[string]bool)
	for name := range s.ops {
		if ref, err := parseFuncName(name); err == nil {
			s.pkgs[ref.pkg] = true
		}
	}
}

// HasPackage reports whether any function of the package at path has
// operations in s.
func (s *Set) HasPackage(path string) bool {
	return s != nil && s.pkgs[path]
}

// Lookup returns the operations of the function with the given full name.
func (s *Set) Lookup(fullName string) []Op {
	if s == nil {
		return nil
	}
	return s.ops[fullName]
}

// MapKind reports whether the built-in map kind is on.
func (s *Set) MapKind() bool { return s.Enabled(KindMap) }

// Enabled reports whether the built-in kind is on.
func (s *Set) Enabled(kind string) bool {
	return s != nil && !slices.Contains(s.disabled, kind)
}

// With returns a copy of s in which the named function performs ops,
// replacing what s had for it.
func (s *Set) With(fullName string, ops []Op) *Set {
	return s.WithOps(map[string][]Op{fullName: ops})
}

// WithOps returns a copy of s in which each function named in ops performs
// those operations, replacing what s had for it. It copies s once, however
// many functions ops names.
func (s *Set) WithOps(ops map[string][]Op) *Set {
	c := &Set{}
	if s != nil {
		c.ops = maps.Clone(s.ops)
		c.disabled = s.disabled
		c.Groups = s.Groups
	}
	if c.ops == nil {
		c.ops = make(map[string][]Op, len(ops))
	}
	for name, fops := range ops {
		c.ops[name] = slices.Clone(fops)
	}
	c.indexPackages()
	return c
}

// Agrees reports whether ops, as a multiset, are the operations s has for
// the named function, so that a directive and a rule for one function can
// be checked against each other. A function s has no operations for
// agrees with any ops.
func (s *Set) Agrees(fullName string, ops []Op) bool {
	have := s.Lookup(fullName)
	if len(have) == 0 {
		return true
	}
	return slices.Equal(sortedOps(have), sortedOps(ops))
}

// sortedOps returns a sorted copy of ops.
func sortedOps(ops []Op) []Op {
	return slices.SortedFunc(slices.Values(ops), func(a, b Op) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Index, b.Index), cmp.Compare(a.Object, b.Object))
	})
}

// IsBuiltin reports whether fullName is a standard library function whose
// operations are built in: they replace what its body would teach, since
// the body speaks of the library's internals.
func IsBuiltin(fullName string) bool {
	_, ok := builtinOps[fullName]
	return ok
}

// runsNow lists the standard library's functions that call a function
// argument before they return, by its parameter position: what the
// argument does happens at the call (a Close whose work is in
// c.once.Do(func() { ... })).
var runsNow = map[string]int{
	"(*sync.Once).Do": 1,
}

// RunsNow returns the position of the function parameter that a standard
// library function calls before it returns, and whether it has one.
func RunsNow(fullName string) (pos int, ok bool) {
	pos, ok = runsNow[fullName]
	return pos, ok
}

// RunsNowIn reports whether package path has a function RunsNow knows:
// callers ask it first, and format a full name only for those.
func RunsNowIn(path string) bool { return path == "sync" }
