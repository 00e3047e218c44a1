// Package skipped holds close functions that delete their object on
// some paths and, on others, close it and return without the delete.
// Written by hand after a stream whose both sides closed was never
// removed from its connection's map: a branch on its state returned
// before the delete.
package skipped

import (
	"io"
	"sync"
)

type conn struct {
	id       int
	kind     int
	hijacked bool
	dropped  bool
	rwc      io.Closer
}

func (c *conn) Close() error { return c.rwc.Close() } // want Close:"close p0; close p0.rwc"

type Server struct {
	mu    sync.Mutex
	conns map[*conn]struct{}
	byID  map[int]*conn
}

// closeConn forgets the delete on the hijacked branch.
func (s *Server) closeConn(c *conn) { // want closeConn:"delete _ from Server.conns; close p1; close p1 after delete _ from Server.conns; close p1.rwc; close p1.rwc after delete _ from Server.conns"
	if c.hijacked {
		c.Close() // want `c closed while still in Server\.conns on this path: \(\*Server\)\.closeConn deletes it from Server\.conns on its other paths`
		return
	}
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	c.Close()
}

// finish deletes by the object's key on one kind only.
func (s *Server) finish(c *conn) { // want finish:"delete _ from Server.byID; close p1; close p1 after delete _ from Server.byID; close p1.rwc; close p1.rwc after delete _ from Server.byID"
	switch c.kind {
	case 1:
		delete(s.byID, c.id)
		c.Close()
	default:
		c.Close() // want `c closed while still in Server\.byID on this path`
	}
}
