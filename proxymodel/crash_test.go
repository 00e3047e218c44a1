package proxymodel_test

import (
	"io/fs"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lifecyclecheck/lifecyclecheck/proxymodel"
	"github.com/lifecyclecheck/lifecyclecheck/testdata/src/resolvconf"
)

// panicFrames runs f and returns its panic value and the functions on the
// stack at the panic, innermost first.
func panicFrames(f func()) (value any, funcs []string) {
	defer func() {
		value = recover()
		pcs := make([]uintptr, 64)
		// The deferred call runs on top of the panicking frames.
		frames := runtime.CallersFrames(pcs[:runtime.Callers(1, pcs)])
		for {
			fr, more := frames.Next()
			funcs = append(funcs, fr.Function)
			if !more {
				break
			}
		}
	}()
	f()
	return nil, nil
}

// indexOfSuffix returns the index of the first function ending in suffix.
func indexOfSuffix(funcs []string, suffix string) int {
	return slices.IndexFunc(funcs, func(f string) bool { return strings.HasSuffix(f, suffix) })
}

// TestBuggyVariantCrashesAtInsert runs the buggy copy with no resolv.conf:
// the default section is created and destroyed, its proxy freed while still
// indexed, and the first configured proxy, which reuses that memory, reaches
// the stale node at its insert (in HAProxy's trace: new == root).
func TestBuggyVariantCrashesAtInsert(t *testing.T) {
	proc := resolvconf.NewProcess(fstest.MapFS{})
	value, funcs := panicFrames(func() { _ = proc.Startup("web", "api") })

	// The buggy copy panics with a plain string, not an error.
	want := `use-after-free: tree node of freed proxy "default" reached during insert of "web" (memory reused by proxy "web")`
	require.Equal(t, want, value, "panic value")
	stack := strings.Join(funcs, "\n")
	order := []string{
		".(*NameTree).Insert",
		".(*Process).proxyStoreName",
		".(*Process).setupNewProxy",
		".(*Process).allocNewProxy",
		".(*Process).Startup",
	}
	last := -1
	for _, suffix := range order {
		i := indexOfSuffix(funcs, suffix)
		require.Greater(t, i, last, "stack at the panic lacks %s after %v:\n%s", suffix, order, stack)
		last = i
	}
	assert.Equal(t, -1, indexOfSuffix(funcs, "ResolversCreateDefault"),
		"crash inside ResolversCreateDefault; want it at the next insert:\n%s", stack)
}

// TestBuggyVariantStartsWithResolvConf shows that the bug needs the failure
// path: with a nameserver the default section is kept and nothing is freed.
func TestBuggyVariantStartsWithResolvConf(t *testing.T) {
	proc := resolvconf.NewProcess(fstest.MapFS{"etc/resolv.conf": {Data: []byte("nameserver 192.0.2.53\n")}})
	require.NoError(t, proc.Startup("web", "api"), "Startup")
	assert.NotNil(t, proc.FindProxyByName("default"), "want the default proxy indexed")
	assert.NotNil(t, proc.FindProxyByName("web"), "want the web proxy indexed")
}

// TestFixedModelStartsWithoutResolvConf runs the same scenario against the
// fixed model: DeinitProxy deletes the name node before the free.
func TestFixedModelStartsWithoutResolvConf(t *testing.T) {
	proc := proxymodel.NewProcess(fstest.MapFS{}, proxymodel.ResolvConfPath)
	cfg := proxymodel.Config{Proxies: []proxymodel.ProxyConfig{{Name: "web", Cap: proxymodel.CapListen}, {Name: "api", Cap: proxymodel.CapListen}}}
	// Only assert inside: a require would stop the goroutine, which NotPanics
	// would take for a panic.
	require.NotPanics(t, func() {
		warnings, err := proc.Startup(cfg)
		assert.NoError(t, err, "Startup")
		if assert.Len(t, warnings, 1, "want one not-exist warning") {
			assert.ErrorIs(t, warnings[0], fs.ErrNotExist)
		}
	}, "fixed model panicked")
	checkConsistent(t, proc, "web", "api")
	st := proc.PoolStats()
	assert.Equal(t, 1, st.Reused, "pool %+v: want the default proxy's memory reused once", st)
}
