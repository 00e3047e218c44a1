package skipped

import "io"

// drop is idempotent: the repeat call tests the flag the first one set.
func (s *Server) drop(c *conn) { // want drop:"delete _ from Server.conns; close p1; close p1 after delete _ from Server.conns; close p1.rwc; close p1.rwc after delete _ from Server.conns"
	if c.dropped {
		c.Close()
		return
	}
	c.dropped = true
	delete(s.conns, c)
	c.Close()
}

// release lets the caller say whether the conn is still registered.
func (s *Server) release(c *conn, registered bool) { // want release:"delete _ from Server.conns if p2 == true; close p1; close p1 after delete _ from Server.conns if p2 == true; close p1.rwc; close p1.rwc after delete _ from Server.conns if p2 == true"
	if registered {
		delete(s.conns, c)
	}
	c.Close()
}

// handle registers the conn itself: the early failure comes before it.
func (s *Server) handle(c *conn, fail bool) { // want handle:"delete _ from Server.conns; close p1; close p1 after delete _ from Server.conns; close p1.rwc; close p1.rwc after delete _ from Server.conns"
	if c.kind == 2 {
		c.Close()
		return
	}
	s.conns[c] = struct{}{}
	delete(s.conns, c)
	c.Close()
}

// forget closes only what it finds in the map.
func (s *Server) forget(c *conn) { // want forget:"delete _ from Server.conns; close p1; close p1 after delete _ from Server.conns; close p1.rwc; close p1.rwc after delete _ from Server.conns"
	if _, ok := s.conns[c]; !ok {
		c.Close()
		return
	}
	delete(s.conns, c)
	c.Close()
}

type entry struct {
	key        string
	persistent bool
	rwc        io.Closer
}

func (e *entry) Close() error { return e.rwc.Close() } // want Close:"close p0; close p0.rwc"

// Cache keeps persistent entries after their close until the sweep
// removes what expired.
type Cache struct{ entries map[string]*entry }

func (c *Cache) evict(e *entry) { // want evict:"delete _ from Cache.entries; close p1; close p1 after delete _ from Cache.entries; close p1.rwc; close p1.rwc after delete _ from Cache.entries"
	if e.persistent {
		e.Close()
		return
	}
	delete(c.entries, e.key)
	e.Close()
}

func (c *Cache) sweep(expired func(*entry) bool) { // want sweep:"delete _ from Cache.entries; runs p1"
	for k, e := range c.entries {
		if expired(e) {
			delete(c.entries, k)
		}
	}
}
