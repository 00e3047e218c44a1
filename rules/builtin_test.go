package rules

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuiltinAll(t *testing.T) {
	s, err := Builtin()
	require.NoError(t, err)
	for _, k := range Kinds() {
		assert.True(t, s.Enabled(k), k)
	}
	assert.True(t, s.MapKind())
	assert.Equal(t, []Op{{Free, Any, 1}}, s.Lookup("(*sync.Pool).Put"))
}

func TestBuiltinDisable(t *testing.T) {
	// A function of each kind that has one; the map kind has none.
	probe := map[string]string{
		KindSyncMap: "(*sync.Map).Store",
		KindList:    "(*container/list.List).PushBack",
		KindPool:    "(*sync.Pool).Put",
	}
	for _, off := range Kinds() {
		t.Run(off, func(t *testing.T) {
			s, err := Builtin(off)
			require.NoError(t, err)
			for _, k := range Kinds() {
				assert.Equal(t, k != off, s.Enabled(k), k)
				if fn, ok := probe[k]; ok {
					assert.Equal(t, k != off, s.Lookup(fn) != nil, fn)
				}
			}
			assert.Equal(t, off != KindMap, s.MapKind())
		})
	}
}

func TestBuiltinUnknownKind(t *testing.T) {
	_, err := Builtin(KindPool, "slab")
	assert.EqualError(t, err, `unknown built-in kind "slab": want one of map, sync.Map, container/list, sync.Pool`)
}

func TestNilSet(t *testing.T) {
	var s *Set
	assert.Nil(t, s.Lookup("(*sync.Pool).Put"))
	assert.False(t, s.MapKind())
	assert.True(t, s.Agrees("example.com/p.F", []Op{{Free, Any, 0}}))
	w := s.With("example.com/p.F", []Op{{Free, Any, 0}})
	assert.Equal(t, []Op{{Free, Any, 0}}, w.Lookup("example.com/p.F"))
}

func TestWithOps(t *testing.T) {
	base, err := Builtin(KindList)
	require.NoError(t, err)
	ops := map[string][]Op{
		"example.com/p.F":      {{Free, Any, 0}},
		"(*sync.Pool).Put":     {{Free, Any, 1}, {Delete, Any, 1}},
		"(*example.com/p.T).M": {{Insert, 0, 1}},
	}
	s := base.WithOps(ops)
	ops["example.com/p.F"][0].Object = 5 // s keeps its own copy
	assert.Equal(t, []Op{{Free, Any, 0}}, s.Lookup("example.com/p.F"))
	assert.Equal(t, []Op{{Free, Any, 1}, {Delete, Any, 1}}, s.Lookup("(*sync.Pool).Put"))
	assert.Equal(t, []Op{{Free, Any, 1}}, base.Lookup("(*sync.Pool).Put"), "base is unchanged")
	assert.Nil(t, base.Lookup("example.com/p.F"))
	assert.NotNil(t, s.Lookup("(*sync.Map).Store"))
	assert.False(t, s.Enabled(KindList))
	assert.True(t, s.MapKind())
}

func TestAgrees(t *testing.T) {
	s := (*Set)(nil).With("example.com/p.F", []Op{{Insert, 0, 1}, {Insert, 0, 2}, {Free, Any, 1}})
	tests := []struct {
		name string
		fn   string
		ops  []Op
		want bool
	}{
		{"same order", "example.com/p.F", []Op{{Insert, 0, 1}, {Insert, 0, 2}, {Free, Any, 1}}, true},
		{"other order", "example.com/p.F", []Op{{Free, Any, 1}, {Insert, 0, 2}, {Insert, 0, 1}}, true},
		{"one missing", "example.com/p.F", []Op{{Insert, 0, 1}, {Free, Any, 1}}, false},
		{"one twice", "example.com/p.F", []Op{{Insert, 0, 1}, {Insert, 0, 1}, {Free, Any, 1}}, false},
		{"other object", "example.com/p.F", []Op{{Insert, 0, 1}, {Insert, 0, 2}, {Free, Any, 2}}, false},
		{"none", "example.com/p.F", nil, false},
		{"function without rules", "example.com/p.G", []Op{{Free, Any, 0}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, s.Agrees(tt.fn, tt.ops))
		})
	}
}

func TestKeyed(t *testing.T) {
	s, err := Builtin()
	require.NoError(t, err)
	pos, replaces, ok := s.Keyed("(*sync.Map).Store")
	assert.True(t, ok)
	assert.Equal(t, 1, pos)
	assert.True(t, replaces)
	_, replaces, ok = s.Keyed("(*sync.Map).LoadOrStore")
	assert.True(t, ok)
	assert.False(t, replaces, "LoadOrStore keeps what is there")
	_, _, ok = s.Keyed("(*container/list.List).PushBack")
	assert.False(t, ok)

	off, err := Builtin(KindSyncMap)
	require.NoError(t, err)
	_, _, ok = off.Keyed("(*sync.Map).Store")
	assert.False(t, ok, "a kind turned off has no keyed operations")
}

func TestHasPackage(t *testing.T) {
	s, err := Builtin(KindList)
	require.NoError(t, err)
	assert.True(t, s.HasPackage("sync"))
	assert.False(t, s.HasPackage("container/list"), "a kind turned off brings no package")
	s = s.WithOps(map[string][]Op{"(*example.com/tree.Tree[K]).Insert": {{Insert, 0, 1}}})
	assert.True(t, s.HasPackage("example.com/tree"))
	assert.False(t, s.HasPackage("example.com"))
	var none *Set
	assert.False(t, none.HasPackage("sync"))
}

// Every function RunsNow knows is in a package RunsNowIn admits: the
// pre-check must never hide one.
func TestRunsNowPackages(t *testing.T) {
	for name := range runsNow {
		qualified := name // (*sync.Once).Do, or path.Func
		if strings.HasPrefix(name, "(") {
			qualified = strings.TrimLeft(name[:strings.Index(name, ")")], "(*")
		}
		pkg := qualified[:strings.LastIndex(qualified, ".")]
		assert.True(t, RunsNowIn(pkg), "%s: RunsNowIn(%q)", name, pkg)
	}
}
