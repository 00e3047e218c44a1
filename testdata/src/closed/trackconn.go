package closed

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

type HTTPServer struct {
	mu         sync.Mutex
	activeConn map[*httpConn]struct{}
	hook       func(net.Conn, ConnState)
}

type httpConn struct {
	server *HTTPServer
	rwc    net.Conn
	hj     bool
}

func (s *HTTPServer) trackConn(c *httpConn, add bool) { // want trackConn:"delete _ from HTTPServer\\.activeConn; insert p1 into HTTPServer\\.activeConn if p2 == true"
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.activeConn == nil {
		s.activeConn = make(map[*httpConn]struct{})
	}
	if add {
		s.activeConn[c] = struct{}{}
	} else {
		delete(s.activeConn, c)
	}
}

func (c *httpConn) setState(nc net.Conn, state ConnState, runHook bool) { // want setState:"delete _ from HTTPServer\\.activeConn; insert p0 into HTTPServer\\.activeConn if \\(p2 == 0\\) == true"
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

func (c *httpConn) hijacked() bool { return c.hj }

func (c *httpConn) close() { c.rwc.Close() } // want close:"close p0; close p0\\.rwc"

// serve closes the conn unless it was hijacked, a state its callers cannot
// see: a maybe-close, which counts for none of them.
func (c *httpConn) serve() { // want serve:"delete _ from HTTPServer\\.activeConn"
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
