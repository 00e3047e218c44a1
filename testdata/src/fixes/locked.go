package fixes

import "sync"

// Registry's map is guarded by mu: a delete outside mu would race.
type Registry struct {
	mu    sync.Mutex
	conns map[string]*Conn
}

// No fix: the insert held r.mu, the free runs after it is released.
func (r *Registry) openThenFail(id string, fail bool) { // want openThenFail:"delete key p1 from Registry.conns"
	c := &Conn{id: id}
	r.mu.Lock()
	r.conns[id] = c
	r.mu.Unlock()
	if fail {
		pool.Put(c) // want `c freed by pool.Put while still in index Registry.conns`
	}
}

// Fixed under the same lock: the free runs while r.mu is held.
func (r *Registry) failUnderLock(id string, fail bool) { // want failUnderLock:"delete key p1 from Registry.conns"
	c := &Conn{id: id}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.conns[id] = c
	if fail {
		pool.Put(c) // want `c freed by pool.Put while still in index Registry.conns`
	}
}

func (r *Registry) add(c *Conn) { // want add:"insert p1 into Registry.conns locked"
	r.mu.Lock()
	r.conns[c.id] = c
	r.mu.Unlock()
}

// No fix: the helper took r.mu for its insert.
func (r *Registry) addThenFail(c *Conn, fail bool) { // want addThenFail:"free p1"
	r.add(c)
	if fail {
		pool.Put(c) // want `c freed by pool.Put while still in index Registry.conns \(inserted by r.add`
	}
}
