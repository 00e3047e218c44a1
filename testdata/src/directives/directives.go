// Package directives has an intrusive tree declared with directives.
package directives

type Node struct {
	left, right *Node
	key         string
}

type Tree struct{ root *Node }

// Insert links n into t.
//
//lifecycle:insert t n
func (t *Tree) Insert(n *Node) { // want Insert:"insert p1 into p0"
	n.left, n.right = nil, t.root
	t.root = n
}

// Unlink removes n from whatever tree holds it.
//
//lifecycle:delete _ n
func (n *Node) Unlink() { // want Unlink:"delete p0 from _"
	n.left, n.right = nil, nil
}

type Proxy struct {
	name   string
	byName Node
}

type Slab struct{ free []*Proxy }

// Free puts p back on the slab's free list.
//
//lifecycle:free p
func (s *Slab) Free(p *Proxy) { // want Free:"free p1"
	*p = Proxy{}
	s.free = append(s.free, p)
}

var (
	names Tree
	slab  Slab
)

func bug(p *Proxy) { // want bug:"free p0"
	names.Insert(&p.byName)
	slab.Free(p) // want `p freed by slab.Free while still in index names \(inserted by names.Insert at directives.go:47\)`
}

func ok(p *Proxy) { // want ok:"free p0 after delete p0 from _; delete p0 from _"
	names.Insert(&p.byName)
	p.byName.Unlink()
	slab.Free(p)
}

// deinit frees p the way HAProxy's fixed deinit_proxy does.
func deinit(p *Proxy) { // want deinit:"free p0 after delete p0 from _; delete p0 from _"
	p.byName.Unlink()
	slab.Free(p)
}

func okViaDeinit(p *Proxy) { // want okViaDeinit:"free p0 after delete p0 from _; delete p0 from _"
	names.Insert(&p.byName)
	deinit(p)
}

func ignored(p *Proxy) { // want ignored:"free p0"
	names.Insert(&p.byName)
	//lifecycle:ignore the slab is dropped whole right after
	slab.Free(p)
}

func ignoredSameLine(p *Proxy) { // want ignoredSameLine:"free p0"
	names.Insert(&p.byName)
	slab.Free(p) //lifecycle:ignore the slab is dropped whole right after
}

func unusedIgnore(p *Proxy) { // want unusedIgnore:"free p0"
	//lifecycle:ignore nothing to silence here // want `//lifecycle:ignore silences nothing here: remove it`
	slab.Free(p)
}

var recycled []*Proxy

// Recycle ends the receiver's life.
//
//lifecycle:free p
func (p *Proxy) Recycle() { recycled = append(recycled, p) } // want Recycle:"free p0"

func bugReceiverFree(p *Proxy) { // want bugReceiverFree:"free p0"
	names.Insert(&p.byName)
	p.Recycle() // want `p freed by p.Recycle while still in index names`
}

// Forget removes whatever is indexed under name in t, by key.
//
//lifecycle:delete t _
func (t *Tree) Forget(name string) {} // want Forget:"delete _ from p0"

func okByKey(p *Proxy) { // want okByKey:"free p0 after delete _ from names; delete _ from names"
	names.Insert(&p.byName)
	names.Forget(p.name)
	p.Recycle()
}

// Park hands p to a parking lot that frees it only once it has left every
// index: the free its body shows is not what it does to p.
//
//lifecycle:none p
func Park(p *Proxy) { slab.Free(p) }

func okParked(p *Proxy) { // want okParked:"insert p0 into names"
	names.Insert(&p.byName)
	Park(p)
}
