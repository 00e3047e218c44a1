package proxymodel

import (
	"fmt"
	"slices"
	"strings"
	"testing"
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
	if err := t.Check(); err != nil {
		tb.Fatalf("tree check: %v", err)
	}
}

// recoverUAF runs f and returns the *UseAfterFreeError it panics with.
func recoverUAF(tb testing.TB, f func()) (err *UseAfterFreeError) {
	tb.Helper()
	defer func() {
		r := recover()
		var ok bool
		if err, ok = r.(*UseAfterFreeError); !ok {
			tb.Fatalf("want a *UseAfterFreeError panic, got %v", r)
		}
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
	if got := walk(&tree, ps); !slices.Equal(got, want) {
		t.Fatalf("walk = %v, want %v", got, want)
	}
	if got := tree.Lookup("web"); got != &ps[0].byName {
		t.Errorf("Lookup(web) = %v, want the first web", got.Proxy().Name())
	}
	if got := tree.Lookup("zzz"); got != nil {
		t.Errorf("Lookup(zzz) = %v, want nil", got)
	}
	if tree.Len() != 6 {
		t.Errorf("Len = %d, want 6", tree.Len())
	}
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
		if got := walk(&tree, ps); !slices.Equal(got, want) {
			t.Fatalf("after deleting #%d: walk = %v, want %v", i, got, want)
		}
	}
}

func TestPoisonedNodeReachedPanics(t *testing.T) {
	var tree NameTree
	var pool Pool
	ps := newLinked(&tree, &pool, "web", "default")
	pool.Free(ps[1]) // the bug: freed while still linked
	err := recoverUAF(t, func() { tree.Lookup("default") })
	want := `use-after-free: tree node of freed proxy "default" reached during lookup`
	if err.Error() != want {
		t.Errorf("panic = %q, want %q", err, want)
	}
}

func TestReusedNodeReachedPanicsAtInsert(t *testing.T) {
	var tree NameTree
	var pool Pool
	ps := newLinked(&tree, &pool, "default")
	pool.Free(ps[0]) // the bug: freed while it is the root
	err := recoverUAF(t, func() { newLinked(&tree, &pool, "web") })
	want := `use-after-free: tree node of freed proxy "default" reached during insert of "web" (memory reused by proxy "web")`
	if err.Error() != want {
		t.Errorf("panic = %q, want %q", err, want)
	}
}

func TestPoolCountersAndDoubleFree(t *testing.T) {
	var pool Pool
	a, b := pool.Alloc(), pool.Alloc()
	pool.Free(a)
	if c := pool.Alloc(); c != a {
		t.Errorf("Alloc did not reuse the freed proxy first")
	}
	pool.Free(b)
	want := PoolStats{Allocated: 2, Reused: 1, InUse: 1, Idle: 1, Freed: 2}
	if got := pool.Stats(); got != want || !got.Balanced() {
		t.Errorf("Stats = %+v, want %+v, balanced", got, want)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "double free") {
			t.Errorf("second Free: panic = %v, want double free", r)
		}
	}()
	pool.Free(b)
}
