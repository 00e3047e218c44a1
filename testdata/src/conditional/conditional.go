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

// A Session's streams are sessions too.
type Session struct {
	conn    *Conn
	handed  bool
	closed  bool
	streams map[int]*Session
}

// closeLocked closes the conn unless it was handed over, a state its
// callers cannot see: a maybe-close, which makes no report at a call.
func (s *Session) closeLocked() { // want closeLocked:"maybe close p0; maybe close p0.conn"
	if !s.handed {
		s.conn.Close()
	}
}

// Close is idempotent: the repeat call finds the flag it set, and the
// session is closed after the call either way.
func (s *Session) Close() { // want Close:"close p0; close p0.conn"
	if s.closed {
		return
	}
	s.closed = true
	s.conn.Close()
}

// shutdownNow finds nothing to close when there is no conn: closed either way.
func (s *Session) shutdownNow() { // want shutdownNow:"close p0; close p0.conn"
	if s.conn == nil {
		return
	}
	s.conn.Close()
}

// endStream does not know whether closeLocked closed the stream.
func (s *Session) endStream(id int) {
	st := s.streams[id]
	st.closeLocked()
}

// closeStream closes it for sure and leaves it in the map.
func (s *Session) closeStream(id int) {
	st := s.streams[id]
	st.Close() // want `st closed by st.Close while still in index Session.streams`
}

func (s *Session) shutStream(id int) {
	st := s.streams[id]
	st.shutdownNow() // want `st closed by st.shutdownNow while still in index Session.streams`
}
