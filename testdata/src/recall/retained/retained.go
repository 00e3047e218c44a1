// Package retained keeps a client's session after its connection closes,
// on purpose, until a sweep removes the sessions that expired (an MQTT
// broker's persistent sessions): closing a client that stays in the index
// is not reported there. An index nothing sweeps is reported.
package retained

import (
	"errors"
	"sync"
)

type Client struct {
	ID      string
	stopped int64
	done    chan struct{}
}

func (c *Client) Stop() { close(c.done) } // want Stop:"close p0; close p0\\.done"

// Clients is a wrapper around the map, with its own lock.
type Clients struct {
	mu       sync.RWMutex
	internal map[string]*Client
}

func (cs *Clients) Add(c *Client) { // want Add:"insert p1 into Clients\\.internal locked"
	cs.mu.Lock()
	defer cs.mu.Unlock()
	cs.internal[c.ID] = c
}

func (cs *Clients) Delete(id string) { // want Delete:"delete _ from Clients\\.internal"
	cs.mu.Lock()
	defer cs.mu.Unlock()
	delete(cs.internal, id)
}

func (cs *Clients) All() map[string]*Client {
	cs.mu.RLock()
	defer cs.mu.RUnlock()
	out := make(map[string]*Client, len(cs.internal))
	for k, v := range cs.internal {
		out[k] = v
	}
	return out
}

type Server struct {
	Clients Clients
	Idle    map[string]*Client
}

// Serve keeps the session when the connection ends: silent, the sweep
// below removes it once it expired.
func (s *Server) Serve(c *Client) { // want Serve:"close p1; close p1\\.done; insert p1 into Clients\\.internal locked"
	s.Clients.Add(c)
	defer c.Stop()
}

// sweep removes the sessions stopped before now.
func (s *Server) sweep(now int64) { // want sweep:"delete _ from Clients\\.internal"
	for id, c := range s.Clients.All() {
		if c.stopped != 0 && c.stopped < now {
			s.Clients.Delete(id)
		}
	}
}

// Park leaves a stopped client in Idle, which nothing sweeps: reported.
func (s *Server) Park(c *Client) { // want Park:"close p1; close p1\\.done; insert p1 into Server\\.Idle"
	s.Idle[c.ID] = c
	c.Stop() // want `c closed by c.Stop while still in index Server.Idle`
}

var errFull = errors.New("full")

// Open and Reopen take their client back out of Clients when they fail.
func (s *Server) Open(id string, n int) error { // want Open:"delete _ from Clients\\.internal"
	c := &Client{ID: id}
	s.Clients.Add(c)
	if n > 3 {
		s.Clients.Delete(c.ID)
		return errFull
	}
	return nil
}

func (s *Server) Reopen(id string, n int) error { // want Reopen:"delete _ from Clients\\.internal"
	c := &Client{ID: id}
	s.Clients.Add(c)
	if n > 4 {
		s.Clients.Delete(c.ID)
		return errFull
	}
	return nil
}

// Join forgets to: the sweep of expired sessions is no excuse for a
// failing path's leak (the sweep only removes stopped clients).
func (s *Server) Join(id string, n int) error {
	c := &Client{ID: id}
	s.Clients.Add(c)
	if n > 5 {
		return errFull // want `c stays in Clients\.internal when this path fails`
	}
	return nil
}
