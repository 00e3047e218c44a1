package proxymodel

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newLinked allocates proxies from pool and inserts them into t in order.
func newLinked(t *NameTree, pool *Pool, names ...string) []*Proxy {
	var ps []*Proxy
	for _, name := range names {
		p := pool.Alloc()
		p.name, p.byName.key = name, name
		t.Insert(&p.byName)
		ps = append(ps, p)
	}
	return ps
}

// walk returns the tree's keys in order, each with the proxy's index in ps.
func walk(t *NameTree, ps []*Proxy) []string {
	var out []string
	for n := range t.All() {
		out = append(out, fmt.Sprintf("%s#%d", n.Key(), slices.Index(ps, n.Proxy())))
	}
	return out
}

func mustCheck(tb testing.TB, t *NameTree) {
	tb.Helper()
	require.NoError(tb, t.Check(), "tree check")
}

// recoverUAF runs f and returns the *UseAfterFreeError it panics with.
func recoverUAF(tb testing.TB, f func()) (err *UseAfterFreeError) {
	tb.Helper()
	defer func() {
		r := recover()
		require.IsType(tb, (*UseAfterFreeError)(nil), r, "want a *UseAfterFreeError panic, got %v", r)
		err = r.(*UseAfterFreeError)
	}()
	f()
	return nil
}

func TestTreeOrderDuplicatesAndLookup(t *testing.T) {
	var tree NameTree
	var pool Pool
	ps := newLinked(&tree, &pool, "web", "api", "web", "db", "web", "api")
	mustCheck(t, &tree)
	want := []string{"api#1", "api#5", "db#3", "web#0", "web#2", "web#4"}
	require.Equal(t, want, walk(&tree, ps), "walk")
	assert.Same(t, &ps[0].byName, tree.Lookup("web"), "Lookup(web): want the first web")
	assert.Nil(t, tree.Lookup("zzz"), "Lookup(zzz)")
	assert.Equal(t, 6, tree.Len(), "Len")
}

func TestTreeDeleteEveryShape(t *testing.T) {
	names := []string{"m", "f", "t", "c", "h", "p", "w", "h", "n", "r", "m"}
	for i := range names {
		var tree NameTree
		var pool Pool
		ps := newLinked(&tree, &pool, names...)
		ps[i].byName.Delete()
		ps[i].byName.Delete() // deleting an unlinked node does nothing
		mustCheck(t, &tree)
		var want []string
		rest := slices.Delete(slices.Clone(ps), i, i+1)
		slices.SortStableFunc(rest, func(a, b *Proxy) int { return strings.Compare(a.name, b.name) })
		for _, p := range rest {
			want = append(want, fmt.Sprintf("%s#%d", p.name, slices.Index(ps, p)))
		}
		require.Equal(t, want, walk(&tree, ps), "after deleting #%d: walk", i)
	}
}

func TestPoisonedNodeReachedPanics(t *testing.T) {
	var tree NameTree
	var pool Pool
	ps := newLinked(&tree, &pool, "web", "default")
	pool.Free(ps[1]) // the bug: freed while still linked
	err := recoverUAF(t, func() { tree.Lookup("default") })
	want := `use-after-free: tree node of freed proxy "default" reached during lookup`
	assert.EqualError(t, err, want, "panic")
}

func TestReusedNodeReachedPanicsAtInsert(t *testing.T) {
	var tree NameTree
	var pool Pool
	ps := newLinked(&tree, &pool, "default")
	pool.Free(ps[0]) // the bug: freed while it is the root
	err := recoverUAF(t, func() { newLinked(&tree, &pool, "web") })
	want := `use-after-free: tree node of freed proxy "default" reached during insert of "web" (memory reused by proxy "web")`
	assert.EqualError(t, err, want, "panic")
}

func TestPoolCountersAndDoubleFree(t *testing.T) {
	var pool Pool
	a, b := pool.Alloc(), pool.Alloc()
	pool.Free(a)
	assert.Same(t, a, pool.Alloc(), "Alloc did not reuse the freed proxy first")
	pool.Free(b)
	want := PoolStats{Allocated: 2, Reused: 1, InUse: 1, Idle: 1, Freed: 2}
	got := pool.Stats()
	assert.Equal(t, want, got, "Stats")
	assert.True(t, got.Balanced(), "Stats %+v: want balanced", got)
	defer func() {
		r := recover()
		assert.NotNil(t, r, "second Free: want a panic")
		assert.Contains(t, fmt.Sprint(r), "double free", "second Free: panic")
	}()
	pool.Free(b)
}
