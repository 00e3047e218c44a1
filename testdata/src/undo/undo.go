// Package undo holds functions that insert an object into a long-lived
// index and then fail: a failing return after the insert should take the
// object out again, as the function's other failing returns do.
package undo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
)

var (
	errClosed  = errors.New("server closed")
	errBanned  = errors.New("user banned")
	errTimeout = errors.New("request timed out")
)

type Conn struct {
	id   int
	user string
	nc   net.Conn
}

func (c *Conn) handshake() error    { return nil }
func (c *Conn) authenticate() error { return nil }
func (c *Conn) negotiate() error    { return nil }

// Server is a connection registry: conns holds every live connection.
type Server struct {
	mu        sync.Mutex
	closed    bool
	anonymous bool // connections may skip authentication
	banned    map[string]bool
	conns     map[int]*Conn
}

// forget is the helper the failing paths call to undo the insert.
func (s *Server) forget(c *Conn) { // want forget:"delete _ from Server\\.conns"
	s.mu.Lock()
	delete(s.conns, c.id)
	s.mu.Unlock()
}

// register undoes the insert when the handshake fails but forgets it
// when authentication fails: one failing return deletes, one forgets.
func (s *Server) register(c *Conn) error { // want register:"delete _ from Server\\.conns; insert p1 into Server\\.conns locked"
	s.mu.Lock()
	s.conns[c.id] = c
	s.mu.Unlock()
	if err := c.handshake(); err != nil {
		s.mu.Lock()
		delete(s.conns, c.id)
		s.mu.Unlock()
		return fmt.Errorf("handshake: %w", err)
	}
	if err := c.authenticate(); err != nil {
		return err // want `c stays in Server\.conns when this path fails: the other failing return after its insert deletes it; delete it before returning \[undo\]`
	}
	return nil
}

// admit undoes through the helper on two failing returns and forgets on
// the third.
func (s *Server) admit(c *Conn) error { // want admit:"delete _ from Server\\.conns; insert p1 into Server\\.conns locked"
	s.mu.Lock()
	s.conns[c.id] = c
	s.mu.Unlock()
	if err := c.handshake(); err != nil {
		s.forget(c)
		return err
	}
	if s.banned[c.user] {
		return errBanned // want `c stays in Server\.conns when this path fails: the other 2 failing returns after its insert delete it; delete it before returning \[undo\]`
	}
	if err := c.negotiate(); err != nil {
		s.forget(c)
		return fmt.Errorf("negotiate: %w", err)
	}
	return nil
}

// Silent: every failing return after the insert deletes it; the return
// before the insert has nothing to undo.
func (s *Server) accept(c *Conn) error { // want accept:"delete _ from Server\\.conns; insert p1 into Server\\.conns if r0 == nil locked"
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return errClosed
	}
	s.conns[c.id] = c
	s.mu.Unlock()
	if err := c.handshake(); err != nil {
		s.forget(c)
		return err
	}
	if err := c.authenticate(); err != nil {
		s.forget(c)
		return err
	}
	return nil
}

// Silent: a deferred cleanup guarded by the named error result undoes the
// insert on every failing return.
func (s *Server) attach(c *Conn) (err error) { // want attach:"delete _ from Server\\.conns"
	s.conns[c.id] = c
	defer func() {
		if err != nil {
			delete(s.conns, c.id)
		}
	}()
	if err = c.handshake(); err != nil {
		return err
	}
	if s.banned[c.user] {
		return errBanned
	}
	return c.negotiate()
}

// Silent: no failing return deletes the connection, so the function
// itself gives no evidence that it should (it is left to a reaper).
func (s *Server) adopt(c *Conn) error { // want adopt:"insert p1 into Server\\.conns"
	s.conns[c.id] = c
	if err := c.handshake(); err != nil {
		return err
	}
	if err := c.authenticate(); err != nil {
		return err
	}
	return nil
}

// Silent: more failing returns forget the connection (2) than delete it
// (1); the one that deletes is the odd one out, not the evidence.
func (s *Server) resume(c *Conn) error { // want resume:"delete _ from Server\\.conns; insert p1 into Server\\.conns"
	s.conns[c.id] = c
	if err := c.handshake(); err != nil {
		return err
	}
	if s.banned[c.user] {
		delete(s.conns, c.id)
		return errBanned
	}
	if err := c.negotiate(); err != nil {
		return err
	}
	return nil
}

// Silent: the result is a bool, not an error: there is no failing return.
func (s *Server) tryAdd(c *Conn) bool { // want tryAdd:"delete _ from Server\\.conns; insert p1 into Server\\.conns"
	s.conns[c.id] = c
	if err := c.handshake(); err != nil {
		delete(s.conns, c.id)
		return false
	}
	if s.banned[c.user] {
		return false
	}
	return true
}

// Silent: the map is local to the function, not an index.
func (s *Server) validate(batch []*Conn) error {
	seen := map[int]*Conn{}
	for _, c := range batch {
		seen[c.id] = c
		if err := c.handshake(); err != nil {
			delete(seen, c.id)
			return err
		}
		if err := c.authenticate(); err != nil {
			return err
		}
	}
	return nil
}

// Silent: the failing returns put the previous connection back under the
// id (a replacement deletes c) or delete c: every one undoes the insert.
func (s *Server) reconnect(c *Conn) error { // want reconnect:"delete _ from Server\\.conns; delete key p1\\.id from Server\\.conns; insert p1 into Server\\.conns if r0 == nil"
	old, had := s.conns[c.id]
	s.conns[c.id] = c
	if err := c.handshake(); err != nil {
		if had {
			s.conns[c.id] = old
		} else {
			delete(s.conns, c.id)
		}
		return err
	}
	if err := c.authenticate(); err != nil {
		delete(s.conns, c.id)
		return err
	}
	return nil
}

// Silent: ownership goes to the caller on success (the returns that keep
// c in the index are not failing); the failing return undoes the insert.
func (s *Server) open(id int, nc net.Conn) (*Conn, error) { // want open:"delete _ from Server\\.conns; insert r0 into Server\\.conns if r0 != nil"
	c := &Conn{id: id, nc: nc}
	s.conns[id] = c
	if s.anonymous {
		return c, nil
	}
	if err := c.authenticate(); err != nil {
		delete(s.conns, id)
		return nil, err
	}
	return c, nil
}

// Client keeps its in-flight requests in a pending map keyed by request
// id; the reader goroutine delivers responses and removes the entries.
type Client struct {
	mu      sync.Mutex
	nextID  uint64
	pending map[uint64]*call
	conn    net.Conn
}

type call struct {
	id   uint64
	done chan *Response
}

// Response carries the server's answer, its error included.
type Response struct {
	Body []byte
	Err  error
}

func (cl *Client) removeCall(id uint64) { // want removeCall:"delete _ from Client\\.pending"
	cl.mu.Lock()
	delete(cl.pending, id)
	cl.mu.Unlock()
}

// Call forgets the pending entry when the request times out, while the
// write failure and the cancellation remove it.
func (cl *Client) Call(ctx context.Context, req []byte, timeout time.Duration) (*Response, error) { // want Call:"delete _ from Client\\.pending"
	cl.mu.Lock()
	cl.nextID++
	pc := &call{id: cl.nextID, done: make(chan *Response, 1)}
	cl.pending[pc.id] = pc
	cl.mu.Unlock()
	if _, err := cl.conn.Write(req); err != nil {
		cl.mu.Lock()
		delete(cl.pending, pc.id)
		cl.mu.Unlock()
		return nil, err
	}
	select {
	case resp := <-pc.done:
		return resp, nil
	case <-time.After(timeout):
		return nil, errTimeout // want `pc stays in Client\.pending when this path fails: the other 2 failing returns after its insert delete it; delete it before returning \[undo\]`
	case <-ctx.Done():
		cl.removeCall(pc.id)
		return nil, ctx.Err()
	}
}

// Session is a subscription hub's session, kept by id.
type Session struct {
	id    string
	topic string
}

func (s *Session) subscribe() error { return nil }

type Hub struct {
	sessions map[string]*Session
	topics   map[string]bool
}

// join installs its deferred cleanup only after the topic check: the
// return before it forgets the session, the one after it deletes it.
func (h *Hub) join(sess *Session) (err error) { // want join:"delete _ from Hub\\.sessions; insert p1 into Hub\\.sessions"
	h.sessions[sess.id] = sess
	if !h.topics[sess.topic] {
		return fmt.Errorf("no topic %q", sess.topic) // want `sess stays in Hub\.sessions when this path fails: the other failing return after its insert deletes it; delete it before returning \[undo\]`
	}
	defer func() {
		if err != nil {
			delete(h.sessions, sess.id)
		}
	}()
	if err = sess.subscribe(); err != nil {
		return err
	}
	return nil
}

// dial makes a connection and tracks it in s.conns, when it returns no
// error.
func (s *Server) dial(id int) (*Conn, error) { // want dial:"insert r0 into Server\\.conns if r0 != nil"
	c := &Conn{id: id}
	if err := c.handshake(); err != nil {
		return nil, err
	}
	s.conns[c.id] = c
	return c, nil
}

// Silent: serveOne obtains the connection from dial, which registers
// what it returns; the connection was not made here, and what a failure
// leaves of it is dial's to say (get-or-create and caching lookups look
// the same from here).
func (s *Server) serveOne(id int) error { // want serveOne:"delete _ from Server\\.conns"
	c, err := s.dial(id)
	if err != nil {
		return err // dial failed: nothing went in
	}
	if err := c.authenticate(); err != nil {
		s.forget(c)
		return err
	}
	if err := c.negotiate(); err != nil {
		return err
	}
	return nil
}

// add registers c, when it returns no error.
func (s *Server) add(c *Conn) error { // want add:"insert p1 into Server\\.conns if r0 == nil"
	if s.closed {
		return errors.New("closed")
	}
	s.conns[c.id] = c
	return nil
}

// serveFresh makes a connection and registers it through add, tests
// add's success, then forgets the connection when negotiation fails,
// while the failed authentication drops it: the test of the inserting
// call's result on the way is no excuse.
func (s *Server) serveFresh(id int) error { // want serveFresh:"delete _ from Server\\.conns"
	c := &Conn{id: id}
	if err := s.add(c); err != nil {
		return err // add failed: nothing went in
	}
	if err := c.authenticate(); err != nil {
		s.forget(c)
		return err
	}
	if err := c.negotiate(); err != nil {
		return err // want `c stays in Server\.conns when this path fails: the other failing return after its insert deletes it; delete it before returning \[undo\]`
	}
	return nil
}

var errDuplicate = errors.New("duplicate")

// join checks for a duplicate first (a lookup whose value is not used:
// no get-or-create), then forgets the connection when negotiation fails.
func (s *Server) join(c *Conn) error { // want join:"delete _ from Server\\.conns; insert p1 into Server\\.conns"
	if _, dup := s.conns[c.id]; dup {
		return errDuplicate
	}
	s.conns[c.id] = c
	if err := c.authenticate(); err != nil {
		delete(s.conns, c.id)
		return err
	}
	if err := c.negotiate(); err != nil {
		return err // want `c stays in Server\.conns when this path fails: the other failing return after its insert deletes it; delete it before returning \[undo\]`
	}
	return nil
}
