// Package chains has inserts and frees one to four calls deep.
package chains

import "sync"

type Proxy struct {
	name string
	id   int
}

type Resolvers struct {
	id string
	px *Proxy
}

var (
	proxyByName = map[string]*Proxy{}
	pool        sync.Pool
)

func proxyStoreName(px *Proxy) { proxyByName[px.name] = px } // want proxyStoreName:"insert p0 into proxyByName"

func setupNewProxy(px *Proxy, name string) { // want setupNewProxy:"insert p0 into proxyByName"
	px.name = name
	proxyStoreName(px)
}

func allocNewProxy(name string) *Proxy { // want allocNewProxy:"insert r0 into proxyByName"
	px := new(Proxy)
	setupNewProxy(px, name)
	return px
}

func resolversNew(id string) *Resolvers { // want resolversNew:"insert r0\\.px into proxyByName"
	r := &Resolvers{id: id}
	r.px = allocNewProxy(id)
	return r
}

func freeProxy(px *Proxy) { pool.Put(px) } // want freeProxy:"free p0"

func deinitProxy(px *Proxy) { freeProxy(px) } // want deinitProxy:"free p0"

func resolversDestroy(r *Resolvers) { // want resolversDestroy:"free p0\\.px"
	deinitProxy(r.px)
}

// The insert is four calls deep, the free three: reported where both are
// visible, at the call that leads to the free.
func resolversCreateDefault(haveConf bool) {
	r := resolversNew("default")
	if !haveConf {
		resolversDestroy(r) // want `r.px freed by resolversDestroy while still in index proxyByName \(inserted by resolversNew at chains.go:51\); delete it from proxyByName first`
	}
}

func deinitProxyFixed(px *Proxy) { // want deinitProxyFixed:"free p0 after delete _ from proxyByName; delete _ from proxyByName"
	delete(proxyByName, px.name)
	freeProxy(px)
}

func resolversDestroyFixed(r *Resolvers) { deinitProxyFixed(r.px) } // want resolversDestroyFixed:"free p0\\.px after delete _ from proxyByName; delete _ from proxyByName"

func resolversCreateDefaultFixed(haveConf bool) { // want resolversCreateDefaultFixed:"delete _ from proxyByName"
	r := resolversNew("default")
	if !haveConf {
		resolversDestroyFixed(r)
	}
}

// A free helper that deletes after freeing does not repair the path.
func freeThenDelete(px *Proxy) { // want freeThenDelete:"free p0; delete _ from proxyByName"
	pool.Put(px)
	delete(proxyByName, px.name)
}

func lateDelete() { // want lateDelete:"delete _ from proxyByName"
	px := allocNewProxy("web")
	freeThenDelete(px) // want `px freed by freeThenDelete while still in index proxyByName`
}

// A free helper called from many callers is reported at each.
func caller1() {
	freeProxy(allocNewProxy("a")) // want `allocNewProxy\("a"\) freed by freeProxy`
}

func caller2() {
	px := allocNewProxy("b")
	deinitProxy(px) // want `px freed by deinitProxy`
}

// Recursion reaches a fixpoint.
func freeAll(ps []*Proxy, i int) { // want freeAll:"free p0\\[\\]"
	if i >= len(ps) {
		return
	}
	pool.Put(ps[i])
	freeAll(ps, i+1)
}

func recursive() {
	px := allocNewProxy("c")
	freeAll([]*Proxy{px}, 0) // want `freed by freeAll while still in index proxyByName`
}
