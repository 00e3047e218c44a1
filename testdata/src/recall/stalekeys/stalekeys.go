// Package stalekeys holds removals that read an object's keys from a field
// its close has cleared first: they delete nothing, and the closed object
// stays in the index. Written by hand after a muxed connection whose Close
// emptied the address list that the removal, run when the close is
// signalled, walks to delete it from the address map.
package stalekeys

import "sync"

// peer is known to a Router under its name and under each of its
// addresses.
type peer struct {
	mu    sync.Mutex
	once  sync.Once
	addrs []string
	done  chan struct{}
}

func (p *peer) Done() <-chan struct{} { return p.done }

// addrList returns a copy of the addresses, as a getter under a lock does.
func (p *peer) addrList() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]string, len(p.addrs))
	copy(out, p.addrs)
	return out
}

func (p *peer) Close() error { // want Close:"close p0; close p0.done"
	p.once.Do(func() { close(p.done) })
	p.mu.Lock()
	defer p.mu.Unlock()
	p.addrs = nil // want `p\.addrs cleared by \(\*peer\)\.Close, but \(\*Router\)\.drop reads the keys of Router\.byAddr from it after the close`
	return nil
}

type Router struct {
	mu     sync.Mutex
	byName map[string]*peer
	byAddr map[string]*peer
}

func (r *Router) Open(name string) *peer { // want Open:"delete _ from Router.byAddr; delete _ from Router.byName"
	p := &peer{done: make(chan struct{})}
	r.mu.Lock()
	r.byName[name] = p
	r.mu.Unlock()
	go func() {
		<-p.Done()
		r.drop(name)
	}()
	return p
}

func (r *Router) learn(p *peer, addr string) { // want learn:"insert p1 into Router.byAddr locked"
	p.mu.Lock()
	p.addrs = append(p.addrs, addr)
	p.mu.Unlock()
	r.mu.Lock()
	r.byAddr[addr] = p
	r.mu.Unlock()
}

func (r *Router) drop(name string) { // want drop:"delete _ from Router.byAddr; delete _ from Router.byName"
	r.mu.Lock()
	p, ok := r.byName[name]
	if !ok {
		r.mu.Unlock()
		return
	}
	delete(r.byName, name)
	r.mu.Unlock()
	for _, a := range p.addrList() {
		delete(r.byAddr, a)
	}
}

// session's close clears its key; the hub deletes by it after closing.
type session struct {
	key  string
	conn interface{ Close() error }
}

func (s *session) Close() error { // want Close:"close p0; close p0.conn"
	err := s.conn.Close()
	s.key = "" // want `s\.key cleared by \(\*session\)\.Close, but \(\*Hub\)\.expire reads the key of Hub\.byKey from it after the close`
	return err
}

type Hub struct{ byKey map[string]*session }

func (h *Hub) add(s *session) { h.byKey[s.key] = s } // want add:"insert p1 into Hub.byKey"

func (h *Hub) expire(s *session) { // want expire:"delete _ from Hub.byKey; close p1 after delete _ from Hub.byKey; close p1.conn after delete _ from Hub.byKey"
	s.Close()
	delete(h.byKey, s.key)
}

// remove deletes before it closes: the key is still there.
func (h *Hub) remove(s *session) { // want remove:"delete _ from Hub.byKey; close p1 after delete _ from Hub.byKey; close p1.conn after delete _ from Hub.byKey"
	delete(h.byKey, s.key)
	s.Close()
}
