package fixes

import "sync"

type Conn struct{ id string }

var (
	conns = map[string]*Conn{}
	live  sync.Map
	pool  sync.Pool
)

func mapInsert(id string) { // want mapInsert:"delete key p0 from conns"
	c := &Conn{id: id}
	conns[id] = c
	pool.Put(c) // want `c freed by pool.Put while still in index conns`
}

func fieldKey(c *Conn) { // want fieldKey:"free p0; insert p0 into conns"
	conns[c.id] = c
	if c.id != "" {
		pool.Put(c) // want `c freed by pool.Put while still in index conns`
	}
}

func syncMapInsert(c *Conn) { // want syncMapInsert:"free p0"
	live.Store(c.id, c)
	pool.Put(c) // want `c freed by pool.Put while still in index live`
}

// No fix: the key variable changed between the insert and the free.
func keyReassigned(id string, c *Conn) { // want keyReassigned:"free p1"
	conns[id] = c
	id = "other"
	pool.Put(c) // want `c freed by pool.Put while still in index conns`
}

// No fix: the free is deferred.
func deferred(id string, c *Conn) { // want deferred:"free p1"
	defer pool.Put(c) // want `c freed by pool.Put while still in index conns`
	conns[id] = c
}

func storeConn(c *Conn) { conns[c.id] = c } // want storeConn:"insert p0 into conns"

// The insert is in a helper: the fix names the key the helper used.
func viaHelper(c *Conn) { // want viaHelper:"free p0"
	storeConn(c)
	pool.Put(c) // want `c freed by pool.Put while still in index conns \(inserted by storeConn`
}
