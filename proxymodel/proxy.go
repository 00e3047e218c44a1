package proxymodel

import (
	"errors"
	"io/fs"
	"slices"
)

// Cap is a proxy's capability set (HAProxy's PR_CAP_*).
type Cap uint8

// Capabilities. A listen section is a frontend and a backend; a resolvers
// section's proxy has both capabilities too.
const (
	CapFE     Cap             = 1 << iota // frontend
	CapBE                                 // backend
	CapListen = CapFE | CapBE             // listen section
)

type objState uint8

const (
	stateZero objState = iota
	stateLive
	statePoisoned
)

// Proxy is HAProxy's struct proxy reduced to what the name index needs. Proxies
// come from a Process's pool and are indexed by name through the embedded
// byName node.
type Proxy struct {
	state     objState
	lastFreed string // pool trace: the name the proxy had when last freed
	name      string
	cap       Cap
	byName    NameNode
}

// Name returns the proxy's name (HAProxy's px->id).
func (p *Proxy) Name() string { return p.name }

// Cap returns the proxy's capabilities.
func (p *Proxy) Cap() Cap { return p.cap }

func (p *Proxy) poisoned() bool { return p.state == statePoisoned }

// ResolvConfPath is where a Process reads resolv.conf in its file system:
// os.DirFS("/") with this path reads /etc/resolv.conf (fs.FS paths are
// unrooted).
const ResolvConfPath = "etc/resolv.conf"

// Process is the state HAProxy keeps in globals for one process: the proxy
// name index, the proxy pool and the resolvers sections. Everything is a
// method on it so that tests can run processes side by side.
type Process struct {
	// ProxyByName indexes every live proxy by name (HAProxy's
	// proxy_by_name).
	ProxyByName NameTree

	pool      Pool
	resolvers []*Resolvers // HAProxy's sec_resolvers, in creation order
	fsys      fs.FS
	confPath  string
}

// NewProcess returns a process that reads resolv.conf at path in fsys.
func NewProcess(fsys fs.FS, path string) *Process {
	return &Process{fsys: fsys, confPath: path}
}

// PoolStats returns the counters of the process's proxy pool.
func (proc *Process) PoolStats() PoolStats { return proc.pool.Stats() }

// ErrEmptyName is returned for a proxy or section without a name.
var ErrEmptyName = errors.New("proxymodel: empty proxy name")

// AllocNewProxy allocates a proxy from the pool, sets it up with name and
// capabilities and indexes it by name (HAProxy's alloc_new_proxy).
func (proc *Process) AllocNewProxy(name string, cap Cap) (*Proxy, error) {
	if name == "" {
		return nil, ErrEmptyName
	}
	p := proc.pool.Alloc()
	proc.setupNewProxy(p, name, cap)
	return p, nil
}

// setupNewProxy initialises a freshly allocated proxy (HAProxy's
// setup_new_proxy).
func (proc *Process) setupNewProxy(p *Proxy, name string, cap Cap) {
	p.name = name
	p.cap = cap
	proc.proxyStoreName(p)
}

// proxyStoreName indexes p under its name (HAProxy's proxy_store_name).
func (proc *Process) proxyStoreName(p *Proxy) {
	p.byName.key = p.name
	proc.ProxyByName.Insert(&p.byName)
}

// FindProxyByName returns the first proxy named name whose capabilities
// include all of cap, or nil (HAProxy's proxy_find_by_name).
func (proc *Process) FindProxyByName(name string, cap Cap) *Proxy {
	for n := proc.ProxyByName.Lookup(name); n != nil && n.Key() == name; n = n.Next() {
		if p := n.Proxy(); p.cap&cap == cap {
			return p
		}
	}
	return nil
}

// Proxies returns the live proxies in name order.
func (proc *Process) Proxies() []*Proxy {
	var ps []*Proxy
	for n := range proc.ProxyByName.All() {
		ps = append(ps, n.Proxy())
	}
	return ps
}

// DeinitProxy releases p and returns it to the pool (HAProxy's deinit_proxy
// and free). It deletes p's name node first: the fix of HAProxy issue 2942,
// where the proxy was freed while proxy_by_name still pointed at it.
func (proc *Process) DeinitProxy(p *Proxy) {
	p.byName.Delete()
	proc.pool.Free(p)
}

// Resolvers returns the resolvers sections in creation order.
func (proc *Process) Resolvers() []*Resolvers { return slices.Clone(proc.resolvers) }
