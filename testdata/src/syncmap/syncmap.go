package syncmap

import "sync"

type Conn struct{ id int }

type Server struct {
	conns sync.Map
	free  sync.Pool
}

func (s *Server) bugStore(c *Conn) { // want bugStore:"free p1"
	s.conns.Store(c.id, c)
	s.free.Put(c) // want `c freed by s.free.Put while still in index Server.conns \(inserted by s.conns.Store at syncmap.go:13\)`
}

func (s *Server) okStoreDelete(c *Conn) { // want okStoreDelete:"free p1 after delete _ from Server\\.conns; delete _ from Server\\.conns"
	s.conns.Store(c.id, c)
	s.conns.Delete(c.id)
	s.free.Put(c)
}

func (s *Server) bugLoadOrStore(c *Conn) { // want bugLoadOrStore:"free p1"
	s.conns.LoadOrStore(c.id, c)
	s.free.Put(c) // want `c freed by s.free.Put while still in index Server.conns`
}

func (s *Server) bugLoad(id int) {
	v, ok := s.conns.Load(id)
	if !ok {
		return
	}
	s.free.Put(v) // want `v freed by s.free.Put while still in index Server.conns \(read from it at syncmap.go:29\)`
}

func (s *Server) okLoadAndDelete(id int) { // want okLoadAndDelete:"delete _ from Server\\.conns"
	v, ok := s.conns.LoadAndDelete(id)
	if ok {
		s.free.Put(v)
	}
}

func (s *Server) okCompareAndDelete(c *Conn) { // want okCompareAndDelete:"free p1 after delete _ from Server\\.conns; delete _ from Server\\.conns"
	s.conns.Store(c.id, c)
	if s.conns.CompareAndDelete(c.id, c) {
		s.free.Put(c)
	}
}

func (s *Server) okClear(c *Conn) { // want okClear:"free p1 after delete _ from Server\\.conns; delete _ from Server\\.conns"
	s.conns.Swap(c.id, c)
	s.conns.Clear()
	s.free.Put(c)
}

var global sync.Map

func bugGlobal(c *Conn) { // want bugGlobal:"free p0"
	global.Store(c.id, c)
	var p sync.Pool
	p.Put(c) // want `c freed by p.Put while still in index global`
}

// A Range callback's value is read out of the map it walks.
func (s *Server) bugRange() {
	s.conns.Range(func(k, v any) bool {
		s.free.Put(v) // want `v freed by s.free.Put while still in index Server.conns`
		return true
	})
}

func (s *Server) okRange() { // want okRange:"delete _ from Server\\.conns"
	s.conns.Range(func(k, v any) bool {
		s.conns.Delete(k)
		s.free.Put(v)
		return true
	})
}
