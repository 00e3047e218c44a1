// Package resolvconf is the buggy variant of the proxymodel package: a compact,
// self-contained copy of what HAProxy issue 2942 needs, with the bug. With no
// resolv.conf, start-up creates the implicit "default" resolvers section,
// whose proxy is inserted into the proxy name tree, then destroys it again;
// deinitProxy frees the proxy without deleting its name node, so the tree
// keeps a link into freed memory and the next insert reaches it.
package resolvconf

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"strings"
)

// NameNode is an intrusive node of a NameTree, embedded in Proxy.
type NameNode struct {
	key                 string
	owner               *Proxy
	tree                *NameTree
	parent, left, right *NameNode
}

// NameTree is an ordered index of nodes by key; duplicates go right.
type NameTree struct {
	root *NameNode
	size int
}

// Insert links n into t under its key.
//
//lifecycle:insert t n
func (t *NameTree) Insert(n *NameNode) { // want Insert:"insert p1 into p0"
	var parent *NameNode
	link := &t.root
	for *link != nil {
		parent = t.reach(*link, n)
		if n.key < parent.key {
			link = &parent.left
		} else {
			link = &parent.right
		}
	}
	*link = n
	n.parent, n.left, n.right, n.tree = parent, nil, nil, t
	t.size++
}

// Delete unlinks n from its tree; an unlinked node is left alone.
//
//lifecycle:delete _ n
func (n *NameNode) Delete() { // want Delete:"delete p0 from _"
	t := n.tree
	if t == nil {
		return
	}
	switch {
	case n.left == nil:
		t.transplant(n, n.right)
	case n.right == nil:
		t.transplant(n, n.left)
	default:
		s := n.right
		for s.left != nil {
			s = s.left
		}
		if s != n.right {
			t.transplant(s, s.right)
			s.right = n.right
			s.right.parent = s
		}
		t.transplant(n, s)
		s.left = n.left
		s.left.parent = s
	}
	n.parent, n.left, n.right, n.tree = nil, nil, nil, nil
	t.size--
}

func (t *NameTree) transplant(u, v *NameNode) {
	switch p := u.parent; {
	case p == nil:
		t.root = v
	case p.left == u:
		p.left = v
	default:
		p.right = v
	}
	if v != nil {
		v.parent = u.parent
	}
}

// Lookup returns the first node with key, or nil.
func (t *NameTree) Lookup(key string) *NameNode {
	var found *NameNode
	for cur := t.root; cur != nil; {
		t.reach(cur, nil)
		switch {
		case key < cur.key:
			cur = cur.left
		case key > cur.key:
			cur = cur.right
		default:
			found, cur = cur, cur.left
		}
	}
	return found
}

// reach checks a node the tree is about to use while inserting op (nil when
// only reading): a poisoned node, the node being inserted or a node of
// another tree is a link into freed memory.
func (t *NameTree) reach(cur, op *NameNode) *NameNode {
	if cur.owner.poisoned || cur == op || cur.tree != t {
		msg := fmt.Sprintf("use-after-free: tree node of freed proxy %q reached during ", cur.owner.lastFreed)
		if op != nil {
			msg += fmt.Sprintf("insert of %q", op.key)
		} else {
			msg += "lookup"
		}
		if !cur.owner.poisoned {
			msg += fmt.Sprintf(" (memory reused by proxy %q)", cur.owner.name)
		}
		panic(msg)
	}
	return cur
}

// Proxy is a proxy reduced to its name and its name node.
type Proxy struct {
	poisoned  bool
	lastFreed string // the pool's trace: the name the proxy had when freed
	name      string
	byName    NameNode
}

// Pool hands out proxies, reusing the most recently freed one first.
type Pool struct {
	free                            []*Proxy
	allocated, reused, inUse, freed int
}

func (pool *Pool) alloc() *Proxy {
	pool.inUse++
	if n := len(pool.free); n > 0 {
		p := pool.free[n-1]
		pool.free = pool.free[:n-1]
		pool.reused++
		*p = Proxy{lastFreed: p.lastFreed}
		p.byName.owner = p
		return p
	}
	pool.allocated++
	p := &Proxy{}
	p.byName.owner = p
	return p
}

// Free poisons p, its node's links included, and keeps it for reuse.
//
//lifecycle:free p
func (pool *Pool) Free(p *Proxy) { // want Free:"free p1"
	p.lastFreed = p.name
	p.poisoned = true
	p.name = strings.Repeat("P", len(p.name))
	n := &p.byName
	n.key, n.tree = p.name, nil
	n.parent, n.left, n.right = n, n, n
	pool.free = append(pool.free, p)
	pool.inUse--
	pool.freed++
}

// Resolvers is a resolvers section; it owns a proxy.
type Resolvers struct {
	id          string
	nameservers []string
	px          *Proxy
}

// Process holds what HAProxy keeps in globals.
type Process struct {
	proxyByName NameTree
	pool        Pool
	resolvers   []*Resolvers
	fsys        fs.FS
}

// NewProcess returns a process reading etc/resolv.conf in fsys.
func NewProcess(fsys fs.FS) *Process { return &Process{fsys: fsys} }

func (proc *Process) allocNewProxy(name string) *Proxy { // want allocNewProxy:"insert r0 into Process\\.proxyByName"
	p := proc.pool.alloc()
	proc.setupNewProxy(p, name)
	return p
}

func (proc *Process) setupNewProxy(p *Proxy, name string) { // want setupNewProxy:"insert p1 into Process\\.proxyByName"
	p.name = name
	proc.proxyStoreName(p)
}

func (proc *Process) proxyStoreName(p *Proxy) { // want proxyStoreName:"insert p1 into Process\\.proxyByName"
	p.byName.key = p.name
	proc.proxyByName.Insert(&p.byName)
}

// deinitProxy releases p and returns it to the pool.
func (proc *Process) deinitProxy(p *Proxy) { // want deinitProxy:"free p1"
	// BUG (HAProxy issue 2942): p's name node is still in proxyByName, but
	// nothing deletes it (p.byName.Delete(), HAProxy's ebpt_delete) before
	// the free. The tree keeps pointing into freed memory, and the next
	// proxy allocated reuses that memory while the tree still links it.
	proc.pool.Free(p)
}

// FindProxyByName returns the first proxy named name, or nil.
func (proc *Process) FindProxyByName(name string) *Proxy {
	if n := proc.proxyByName.Lookup(name); n != nil {
		return n.owner
	}
	return nil
}

func (proc *Process) resolversNew(id string) *Resolvers { // want resolversNew:"insert r0\\.px into Process\\.proxyByName"
	r := &Resolvers{id: id, px: proc.allocNewProxy(id)}
	proc.resolvers = append(proc.resolvers, r)
	return r
}

func (proc *Process) resolversDestroy(r *Resolvers) { // want resolversDestroy:"free p1\\.px"
	for i, x := range proc.resolvers {
		if x == r {
			proc.resolvers = append(proc.resolvers[:i], proc.resolvers[i+1:]...)
			break
		}
	}
	proc.deinitProxy(r.px)
	r.px = nil
}

// ResolversCreateDefault creates the implicit "default" resolvers section
// unless one exists, and destroys it again when resolv.conf is missing or has
// no nameserver.
func (proc *Process) ResolversCreateDefault() error {
	for _, r := range proc.resolvers {
		if r.id == "default" {
			return nil
		}
	}
	r := proc.resolversNew("default")
	data, err := fs.ReadFile(proc.fsys, "etc/resolv.conf")
	if err == nil {
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] == "nameserver" {
				r.nameservers = append(r.nameservers, f[1])
			}
		}
	}
	if len(r.nameservers) == 0 {
		proc.resolversDestroy(r) // want `r.px freed by proc.resolversDestroy while still in index Process.proxyByName \(inserted by proc.resolversNew at resolvconf.go:253\); delete it from Process.proxyByName first`
		return fmt.Errorf("no default resolvers: no nameserver in resolv.conf (%v)", err)
	}
	return nil
}

// Startup creates the default resolvers section, then the proxies named in
// names. With no resolv.conf it panics at the first proxy's insert.
func (proc *Process) Startup(names ...string) error {
	err := proc.ResolversCreateDefault()
	for _, name := range names {
		proc.allocNewProxy(name)
	}
	return err
}
