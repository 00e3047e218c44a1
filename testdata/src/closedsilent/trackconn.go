package closedsilent

import (
	"net"
	"sync"
)

// net/http's server: a connection is tracked while it is served, through
// a state switch; closing it and setting the closed state untracks it.

type ConnState int

const (
	StateNew ConnState = iota
	StateActive
	StateIdle
	StateHijacked
	StateClosed
)

type Server struct {
	mu         sync.Mutex
	activeConn map[*conn]struct{}
	hook       func(net.Conn, ConnState)
}

type conn struct {
	server *Server
	rwc    net.Conn
	hj     bool
}

func (s *Server) trackConn(c *conn, add bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.activeConn == nil {
		s.activeConn = make(map[*conn]struct{})
	}
	if add {
		s.activeConn[c] = struct{}{}
	} else {
		delete(s.activeConn, c)
	}
}

func (c *conn) setState(nc net.Conn, state ConnState, runHook bool) {
	srv := c.server
	switch state {
	case StateNew:
		srv.trackConn(c, true)
	case StateHijacked, StateClosed:
		srv.trackConn(c, false)
	}
	if state > 0xff || state < 0 {
		panic("internal error")
	}
	if !runHook {
		return
	}
	if hook := srv.hook; hook != nil {
		hook(nc, state)
	}
}

func (c *conn) hijacked() bool { return c.hj }

func (c *conn) close() { c.rwc.Close() }

func (c *conn) serve() {
	c.setState(c.rwc, StateNew, true)
	defer func() {
		if !c.hijacked() {
			c.close()
			c.setState(c.rwc, StateClosed, true)
		}
	}()
	buf := make([]byte, 10)
	c.rwc.Read(buf)
}
