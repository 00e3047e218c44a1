package app

import (
	"crosspkg/store"
	"crosspkg/tree"
)

type Server struct {
	name   string
	byName tree.Node
}

var (
	servers tree.Tree
	slab    tree.Slab[Server]
)

func register(s *Server) { servers.Insert(&s.byName) } // want register:"insert p0 into servers"

func unregister(s *Server) { s.byName.Delete() } // want unregister:"delete p0 from _"

func destroy(s *Server) { slab.Free(s) } // want destroy:"free p0"

func bug() {
	s := &Server{name: "web"}
	register(s)
	destroy(s) // want `s freed by destroy while still in index servers \(inserted by register at app.go:26\)`
}

func ok() {
	s := &Server{name: "web"}
	register(s)
	unregister(s)
	destroy(s)
}

func bugStore() {
	it := &store.Item{ID: 1}
	store.Add(it)
	store.Release(it) // want `it freed by store.Release while still in index byID \(inserted by store.Add at app.go:39\)`
}

func okStore() { // want okStore:"delete _ from byID"
	it := &store.Item{ID: 1}
	store.Add(it)
	store.Remove(it)
	store.Release(it)
}

func bugLookedUp(id int) {
	store.Release(store.Get(id)) // want `store.Get\(id\) freed by store.Release while still in index byID`
}
