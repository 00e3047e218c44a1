package proxymodel_test

import (
	"errors"
	"io/fs"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

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

	want := `use-after-free: tree node of freed proxy "default" reached during insert of "web" (memory reused by proxy "web")`
	if value != want {
		t.Fatalf("panic value = %v, want %q", value, want)
	}
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
		if i <= last {
			t.Fatalf("stack at the panic lacks %s after %v:\n%s", suffix, order, strings.Join(funcs, "\n"))
		}
		last = i
	}
	if i := indexOfSuffix(funcs, "ResolversCreateDefault"); i >= 0 {
		t.Errorf("crash inside ResolversCreateDefault; want it at the next insert:\n%s", strings.Join(funcs, "\n"))
	}
}

// TestBuggyVariantStartsWithResolvConf shows that the bug needs the failure
// path: with a nameserver the default section is kept and nothing is freed.
func TestBuggyVariantStartsWithResolvConf(t *testing.T) {
	proc := resolvconf.NewProcess(fstest.MapFS{"etc/resolv.conf": {Data: []byte("nameserver 192.0.2.53\n")}})
	if err := proc.Startup("web", "api"); err != nil {
		t.Fatalf("Startup: %v", err)
	}
	if proc.FindProxyByName("default") == nil || proc.FindProxyByName("web") == nil {
		t.Errorf("want the default and web proxies indexed")
	}
}

// TestFixedModelStartsWithoutResolvConf runs the same scenario against the
// fixed model: DeinitProxy deletes the name node before the free.
func TestFixedModelStartsWithoutResolvConf(t *testing.T) {
	proc := proxymodel.NewProcess(fstest.MapFS{}, proxymodel.ResolvConfPath)
	cfg := proxymodel.Config{Proxies: []proxymodel.ProxyConfig{{Name: "web", Cap: proxymodel.CapListen}, {Name: "api", Cap: proxymodel.CapListen}}}
	value, _ := panicFrames(func() {
		warnings, err := proc.Startup(cfg)
		if err != nil || len(warnings) != 1 || !errors.Is(warnings[0], fs.ErrNotExist) {
			t.Errorf("Startup = %v, %v; want one not-exist warning", warnings, err)
		}
	})
	if value != nil {
		t.Fatalf("fixed model panicked: %v", value)
	}
	checkConsistent(t, proc, "web", "api")
	if st := proc.PoolStats(); st.Reused != 1 {
		t.Errorf("pool %+v: want the default proxy's memory reused once", st)
	}
}
