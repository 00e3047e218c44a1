package proxymodel_test

import (
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/lifecyclecheck/lifecyclecheck/proxymodel"
)

// errFS fails every Open with err.
type errFS struct{ err error }

func (e errFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: e.err}
}

func resolvConf(data string) fs.FS {
	return fstest.MapFS{proxymodel.ResolvConfPath: {Data: []byte(data)}}
}

var webConfig = proxymodel.Config{Proxies: []proxymodel.ProxyConfig{
	{Name: "web", Cap: proxymodel.CapFE},
	{Name: "web", Cap: proxymodel.CapBE},
	{Name: "api", Cap: proxymodel.CapListen},
	{Name: "static", Cap: proxymodel.CapBE},
}}

// checkConsistent fails unless the name index is consistent and lists
// exactly the proxies the process should have, and the pool is balanced.
func checkConsistent(t *testing.T, proc *proxymodel.Process, wantNames ...string) {
	t.Helper()
	if err := proc.ProxyByName.Check(); err != nil {
		t.Fatalf("name tree: %v", err)
	}
	var names []string
	for _, p := range proc.Proxies() {
		names = append(names, p.Name())
	}
	slices.Sort(wantNames)
	if !slices.Equal(names, wantNames) {
		t.Fatalf("proxies = %v, want %v", names, wantNames)
	}
	st := proc.PoolStats()
	if !st.Balanced() || st.InUse != len(wantNames) {
		t.Fatalf("pool %+v: want balanced with %d in use", st, len(wantNames))
	}
}

func TestStartupResolvConf(t *testing.T) {
	tests := []struct {
		name        string
		fsys        fs.FS
		wantDefault bool
		wantWarning error // errors.Is target, nil for no warning
	}{
		{"valid", resolvConf("nameserver 192.0.2.53\n"), true, nil},
		{"missing", fstest.MapFS{}, false, fs.ErrNotExist},
		{"no file system", nil, false, fs.ErrNotExist},
		{"empty", resolvConf(""), false, proxymodel.ErrNoNameserver},
		{"unreadable", errFS{fs.ErrPermission}, false, fs.ErrPermission},
		{"garbage only", resolvConf("hello world\nnameserver nowhere\n"), false, proxymodel.ErrNoNameserver},
		{"garbage and a nameserver", resolvConf("hello\nnameserver 192.0.2.53\n"), true, new(proxymodel.ParseError)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			proc := proxymodel.NewProcess(tt.fsys, proxymodel.ResolvConfPath)
			warnings, err := proc.Startup(webConfig)
			if err != nil {
				t.Fatalf("Startup: %v", err)
			}
			want := []string{"web", "web", "api", "static"}
			if tt.wantDefault {
				want = append(want, "default")
			}
			checkConsistent(t, proc, want...)
			def := proc.FindResolversByID("default")
			if (def != nil) != tt.wantDefault {
				t.Fatalf("default section = %v, want present=%v", def, tt.wantDefault)
			}
			if def != nil && (!def.Implicit || len(def.Nameservers) != 1 || def.Proxy() != proc.FindProxyByName("default", proxymodel.CapListen)) {
				t.Errorf("default section = %+v, want implicit with one nameserver and its proxy indexed", def)
			}
			checkWarning(t, warnings, tt.wantWarning)
			proc.Stop()
			checkConsistent(t, proc)
		})
	}
}

func checkWarning(t *testing.T, warnings []error, want error) {
	t.Helper()
	switch {
	case want == nil && len(warnings) != 0:
		t.Errorf("warnings = %v, want none", warnings)
	case want == nil:
	case len(warnings) != 1:
		t.Errorf("warnings = %v, want one", warnings)
	case errors.Is(warnings[0], want):
	case errors.As(warnings[0], new(*proxymodel.ParseError)) && errors.As(want, new(*proxymodel.ParseError)):
	default:
		t.Errorf("warning = %v, want %v", warnings[0], want)
	}
}

func TestStartupDuplicateNames(t *testing.T) {
	proc := proxymodel.NewProcess(fstest.MapFS{}, proxymodel.ResolvConfPath)
	if _, err := proc.Startup(webConfig); err != nil {
		t.Fatalf("Startup: %v", err)
	}
	fe, be := proc.FindProxyByName("web", proxymodel.CapFE), proc.FindProxyByName("web", proxymodel.CapBE)
	if fe == nil || be == nil || fe == be || fe.Cap() != proxymodel.CapFE || be.Cap() != proxymodel.CapBE {
		t.Errorf("web frontend %v and backend %v: want two proxies", fe, be)
	}
	if got := proc.FindProxyByName("web", proxymodel.CapListen); got != nil {
		t.Errorf("FindProxyByName(web, listen) = %v, want nil", got)
	}
	proc.Stop()

	clash := proxymodel.Config{Proxies: []proxymodel.ProxyConfig{{Name: "web", Cap: proxymodel.CapFE}, {Name: "web", Cap: proxymodel.CapListen}}}
	if _, err := proc.Startup(clash); err == nil {
		t.Errorf("Startup with a listen web after a frontend web: want an error")
	}
	proc.Stop()
	checkConsistent(t, proc)
}

func TestStartupExplicitDefaultSection(t *testing.T) {
	proc := proxymodel.NewProcess(fstest.MapFS{}, proxymodel.ResolvConfPath)
	ns := netip.MustParseAddrPort("192.0.2.1:53")
	cfg := proxymodel.Config{Resolvers: []proxymodel.ResolversConfig{{Name: "default", Nameservers: []netip.AddrPort{ns}}}}
	warnings, err := proc.Startup(cfg)
	if err != nil || len(warnings) != 0 {
		t.Fatalf("Startup = %v, %v; want no warning (resolv.conf is not read)", warnings, err)
	}
	rs := proc.Resolvers()
	if len(rs) != 1 || rs[0].Implicit || rs[0].Nameservers[0].Addr != ns {
		t.Fatalf("resolvers = %+v, want only the explicit default", rs)
	}
	checkConsistent(t, proc, "default")
	if _, err := proc.ResolversNew("default"); err == nil {
		t.Errorf("a second default section: want an error")
	}
	proc.Stop()
	checkConsistent(t, proc)
}

// switchFS serves whichever file system cur is, so that resolv.conf can
// change between reloads.
type switchFS struct{ cur fs.FS }

func (s *switchFS) Open(name string) (fs.File, error) { return s.cur.Open(name) }

func TestStartStopReloadCycles(t *testing.T) {
	confs := []fs.FS{resolvConf("nameserver 192.0.2.53\n"), fstest.MapFS{}, resolvConf(""), errFS{fs.ErrPermission}}
	fsys := &switchFS{}
	proc := proxymodel.NewProcess(fsys, proxymodel.ResolvConfPath)
	cfg := proxymodel.Config{Resolvers: []proxymodel.ResolversConfig{{Name: "dns"}}}
	maxLive := 0
	for i := range 200 {
		fsys.cur = confs[i%len(confs)]
		cfg.Proxies = append(cfg.Proxies[:0:0], webConfig.Proxies[:1+i%len(webConfig.Proxies)]...)
		cfg.Proxies = append(cfg.Proxies, proxymodel.ProxyConfig{Name: fmt.Sprintf("p%d", i%7), Cap: proxymodel.CapBE})
		if _, err := proc.Reload(cfg); err != nil {
			t.Fatalf("cycle %d: %v", i, err)
		}
		if err := proc.ProxyByName.Check(); err != nil {
			t.Fatalf("cycle %d: %v", i, err)
		}
		maxLive = max(maxLive, proc.PoolStats().InUse)
		proc.Stop()
		if st := proc.PoolStats(); !st.Balanced() || st.InUse != 0 || proc.ProxyByName.Len() != 0 {
			t.Fatalf("cycle %d after Stop: pool %+v, %d proxies indexed", i, st, proc.ProxyByName.Len())
		}
	}
	// Freed proxies are reused: the pool never creates more than the
	// largest start-up needs.
	if st := proc.PoolStats(); st.Allocated != maxLive {
		t.Errorf("pool %+v: want %d allocated, the most ever live", st, maxLive)
	}
}
