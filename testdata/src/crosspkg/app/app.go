package app

import "crosspkg/tree"

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
	destroy(s) // want `s freed by destroy while still in index servers \(inserted by register at app.go:23\)`
}

func ok() {
	s := &Server{name: "web"}
	register(s)
	unregister(s)
	destroy(s)
}
