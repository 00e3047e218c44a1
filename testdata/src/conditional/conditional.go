// Package conditional holds effects that a function has on some of its
// paths only, under a parameter its callers pass.
package conditional

type Conn struct{ id int }

func (c *Conn) Close() error { return nil }

type Server struct{ conns map[int]*Conn }

func (s *Server) add(c *Conn) { s.conns[c.id] = c } // want add:"insert p1 into Server.conns"

// release unregisters the conn only when asked to; the path that does not
// is its caller's choice (a branch on a parameter), judged at each call.
func (s *Server) release(c *Conn, unregister bool) { // want release:"delete _ from Server.conns if p2 == true; close p1; close p1 after delete _ from Server.conns if p2 == true"
	if unregister {
		delete(s.conns, c.id)
	}
	c.Close()
}

// kick asks release not to unregister a conn it registered.
func (s *Server) kick(c *Conn) { // want kick:"close p1; insert p1 into Server.conns"
	s.add(c)
	s.release(c, false) // want `c closed by s.release while still in index Server.conns \(inserted by s.add at conditional.go:24\)`
}

func (s *Server) kickClean(c *Conn) { // want kickClean:"delete _ from Server.conns; close p1 after delete _ from Server.conns"
	s.add(c)
	s.release(c, true)
}

// kickAsked passes its own argument on: its callers decide. The delete
// it may make counts as made (when in doubt, silent).
func (s *Server) kickAsked(c *Conn, unregister bool) { // want kickAsked:"delete _ from Server.conns; close p1 after delete _ from Server.conns"
	s.add(c)
	s.release(c, unregister)
}

// How retire treats the registration.
const (
	keepRegistered = iota
	dropRegistered
)

type Pool struct{ live map[*Conn]bool }

func (p *Pool) put(c *Conn) { p.live[c] = true } // want put:"insert p1 into Pool.live"

func (p *Pool) forget(c *Conn) { delete(p.live, c) } // want forget:"delete _ from Pool.live"

// retire forgets the conn under one mode only, through a helper.
func (p *Pool) retire(c *Conn, how int) { // want retire:"delete _ from Pool.live if \\(p2 == 1\\) == true; close p1; close p1 after delete _ from Pool.live if \\(p2 == 1\\) == true"
	if how == dropRegistered {
		p.forget(c)
	}
	c.Close()
}

func (p *Pool) retireKept(c *Conn) { // want retireKept:"close p1; insert p1 into Pool.live"
	p.put(c)
	p.retire(c, keepRegistered) // want `c closed by p.retire while still in index Pool.live`
}

func (p *Pool) retireDropped(c *Conn) { // want retireDropped:"delete _ from Pool.live; close p1 after delete _ from Pool.live"
	p.put(c)
	p.retire(c, dropRegistered)
}
