package proxymodel_test

import (
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	require.NoError(t, proc.ProxyByName.Check(), "name tree")
	var names []string
	for _, p := range proc.Proxies() {
		names = append(names, p.Name())
	}
	// Both sides are nil when there is no proxy.
	require.Equal(t, slices.Sorted(slices.Values(wantNames)), names, "proxies")
	st := proc.PoolStats()
	require.True(t, st.Balanced(), "pool %+v: want balanced", st)
	require.Equal(t, len(wantNames), st.InUse, "pool %+v: in use", st)
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
			require.NoError(t, err, "Startup")
			want := []string{"web", "web", "api", "static"}
			if tt.wantDefault {
				want = append(want, "default")
			}
			checkConsistent(t, proc, want...)
			def := proc.FindResolversByID("default")
			require.Equal(t, tt.wantDefault, def != nil, "default section = %v, want present=%v", def, tt.wantDefault)
			if def != nil {
				assert.True(t, def.Implicit, "default section %+v: want implicit", def)
				assert.Len(t, def.Nameservers, 1, "default section %+v: want one nameserver", def)
				assert.Same(t, proc.FindProxyByName("default", proxymodel.CapListen), def.Proxy(),
					"default section %+v: want its proxy indexed", def)
			}
			checkWarning(t, warnings, tt.wantWarning)
			proc.Stop()
			checkConsistent(t, proc)
		})
	}
}

// checkWarning checks that warnings is empty when want is nil, and otherwise
// holds one warning that matches want: errors.Is, or any *ParseError when
// want is a *ParseError.
func checkWarning(t *testing.T, warnings []error, want error) {
	t.Helper()
	if want == nil {
		assert.Empty(t, warnings, "want no warning")
		return
	}
	if !assert.Len(t, warnings, 1, "want one warning") {
		return
	}
	if errors.As(want, new(*proxymodel.ParseError)) {
		assert.ErrorAs(t, warnings[0], new(*proxymodel.ParseError))
		return
	}
	assert.ErrorIs(t, warnings[0], want)
}

func TestStartupDuplicateNames(t *testing.T) {
	proc := proxymodel.NewProcess(fstest.MapFS{}, proxymodel.ResolvConfPath)
	_, err := proc.Startup(webConfig)
	require.NoError(t, err, "Startup")
	fe, be := proc.FindProxyByName("web", proxymodel.CapFE), proc.FindProxyByName("web", proxymodel.CapBE)
	if assert.NotNil(t, fe, "web frontend") && assert.NotNil(t, be, "web backend") {
		assert.NotSame(t, fe, be, "want two web proxies")
		assert.Equal(t, proxymodel.CapFE, fe.Cap(), "web frontend capabilities")
		assert.Equal(t, proxymodel.CapBE, be.Cap(), "web backend capabilities")
	}
	assert.Nil(t, proc.FindProxyByName("web", proxymodel.CapListen), "FindProxyByName(web, listen)")
	proc.Stop()

	clash := proxymodel.Config{Proxies: []proxymodel.ProxyConfig{{Name: "web", Cap: proxymodel.CapFE}, {Name: "web", Cap: proxymodel.CapListen}}}
	_, err = proc.Startup(clash)
	assert.Error(t, err, "Startup with a listen web after a frontend web")
	proc.Stop()
	checkConsistent(t, proc)
}

func TestStartupExplicitDefaultSection(t *testing.T) {
	proc := proxymodel.NewProcess(fstest.MapFS{}, proxymodel.ResolvConfPath)
	ns := netip.MustParseAddrPort("192.0.2.1:53")
	cfg := proxymodel.Config{Resolvers: []proxymodel.ResolversConfig{{Name: "default", Nameservers: []netip.AddrPort{ns}}}}
	warnings, err := proc.Startup(cfg)
	require.NoError(t, err, "Startup")
	require.Empty(t, warnings, "resolv.conf is not read")
	rs := proc.Resolvers()
	require.Len(t, rs, 1, "want only the explicit default")
	require.False(t, rs[0].Implicit, "resolvers %+v: want the explicit default", rs[0])
	require.NotEmpty(t, rs[0].Nameservers, "resolvers %+v", rs[0])
	require.Equal(t, ns, rs[0].Nameservers[0].Addr, "resolvers %+v", rs[0])
	checkConsistent(t, proc, "default")
	_, err = proc.ResolversNew("default")
	assert.Error(t, err, "a second default section")
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
		_, err := proc.Reload(cfg)
		require.NoError(t, err, "cycle %d", i)
		require.NoError(t, proc.ProxyByName.Check(), "cycle %d", i)
		maxLive = max(maxLive, proc.PoolStats().InUse)
		proc.Stop()
		st := proc.PoolStats()
		require.True(t, st.Balanced(), "cycle %d after Stop: pool %+v unbalanced", i, st)
		require.Zero(t, st.InUse, "cycle %d after Stop: pool %+v", i, st)
		require.Zero(t, proc.ProxyByName.Len(), "cycle %d after Stop: proxies indexed", i)
	}
	// Freed proxies are reused: the pool never creates more than the
	// largest start-up needs.
	st := proc.PoolStats()
	assert.Equal(t, maxLive, st.Allocated, "pool %+v: want allocated = the most ever live", st)
}
