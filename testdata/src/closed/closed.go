// Package closed holds objects closed while an index still holds them.
package closed

import (
	"errors"
	"io"
	"net"
	"sync"
)

type Conn struct {
	id int
	nc net.Conn
}

func (c *Conn) Close() error { return c.nc.Close() } // want Close:"close p0; close p0\\.nc"

func (c *Conn) handshake() error { return nil }

type Server struct {
	mu    sync.Mutex
	conns map[int]*Conn
	ids   map[int]bool
	set   map[net.Conn]struct{}
}

// Close closes every connection and leaves them all in the map.
func (s *Server) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		c.Close() // want `c closed by c.Close while still in index Server.conns \(read from it at closed.go:31\); delete it from Server.conns \[closed\]`
	}
}

// add forgets the delete on its failing path.
func (s *Server) add(c *Conn) error { // want add:"close p1; close p1\\.nc; insert p1 into Server\\.conns"
	s.conns[c.id] = c
	if err := c.handshake(); err != nil {
		c.Close() // want `c closed by c.Close while still in index Server.conns \(inserted at closed.go:38\)`
		return err
	}
	return nil
}

func shutdownConn(c *Conn) { c.Close() } // want shutdownConn:"close p0"

// drop closes through a helper whose body closes its parameter.
func (s *Server) drop(id int) {
	c := s.conns[id]
	shutdownConn(c) // want `c closed by shutdownConn while still in index Server.conns`
}

// serve closes with defer.
func (s *Server) serve(c *Conn) { // want serve:"close p1; close p1\\.nc; insert p1 into Server\\.conns"
	s.conns[c.id] = c
	defer c.Close() // want `c closed by c.Close while still in index Server.conns`
	c.handshake()
}

// track keeps a set of ids: c is in it under its identity.
func (s *Server) track(c *Conn) { // want track:"delete _ from Server\\.conns; delete key p1\\.id from Server\\.ids; close p1 after delete _ from Server\\.conns; close p1\\.nc after delete _ from Server\\.conns; insert p1 into Server\\.ids"
	s.ids[c.id] = true
	s.conns[c.id] = c
	delete(s.conns, c.id)
	c.Close() // want `c closed by c.Close while still in index Server.ids \(inserted at closed.go:63\)`
}

// accept hands the connection to a goroutine that closes it and never
// leaves the set.
func (s *Server) accept(nc net.Conn) { // want accept:"close p1; insert p1 into Server\\.set"
	s.set[nc] = struct{}{}
	go handle(nc) // want `nc closed by the goroutine of handle while still in index Server.set`
}

func handle(nc net.Conn) { // want handle:"close p0"
	defer nc.Close()
	buf := make([]byte, 1)
	nc.Read(buf)
}

var subs = map[string]chan int{}

// unsubscribe closes the channel and leaves it in subs.
func unsubscribe(id string) {
	ch := subs[id]
	close(ch) // want `ch closed by close while still in index subs`
}

var closers = map[string]io.Closer{}

// closeNamed closes through the interface.
func closeNamed(name string) error {
	c, ok := closers[name]
	if !ok {
		return errors.New("no such closer")
	}
	return c.Close() // want `c closed by c.Close while still in index closers`
}

type Worker struct{ quit chan struct{} }

func (w *Worker) Stop() { close(w.quit) } // want Stop:"close p0.quit"

var workers = map[string]*Worker{}

func stopWorker(name string) {
	workers[name].Stop() // want `closed by workers\[name\].Stop while still in index workers`
}

// Four conditional inserts of one object and a close on the error path:
// it may be in any of the four.
type Peer struct{ ID, Name, Addr, Group string }

func (p *Peer) Close() error { return nil }

var (
	byID    = map[string]*Peer{}
	byName  = map[string]*Peer{}
	byAddr  = map[string]*Peer{}
	byGroup = map[string]*Peer{}
)

func addPeer(p *Peer, ok func(*Peer) bool) error { // want addPeer:"close p0; insert p0 into byAddr; insert p0 into byGroup; insert p0 into byID; insert p0 into byName"
	if p.ID != "" {
		byID[p.ID] = p
	}
	if p.Name != "" {
		byName[p.Name] = p
	}
	if p.Addr != "" {
		byAddr[p.Addr] = p
	}
	if p.Group != "" {
		byGroup[p.Group] = p
	}
	if !ok(p) {
		p.Close() // want `p closed by p.Close while still in indexes byID, byName, byAddr and byGroup \(byID: inserted at closed.go:\d+; byName: .*\); delete it from each \[closed\]`
		return errors.New("invalid peer")
	}
	return nil
}

// drainServer closes each conn of a server and then the server itself on
// one path only: on the other the server lives on with closed conns in
// its map (an owner shut after its conns excuses only the paths it is
// shut on).
func drainServer(s *Server, keep bool) { // want drainServer:"close p0"
	for _, c := range s.conns {
		c.Close() // want "c closed by c.Close while still in index Server.conns"
	}
	if keep {
		return
	}
	s.Close()
}
