// Package silentreg holds registrations the unregister check must let be,
// each cut down from a false alarm on a real module (caddy's reusable
// unix sockets).
package silentreg

import (
	"io"
	"sync"
	"sync/atomic"
)

var (
	mu      sync.Mutex
	sockets = map[string]*shared{}
)

// shared is one socket several configurations use: its Close releases
// one reference, and only the last one unregisters it.
type shared struct {
	io.Closer
	key   string
	count *atomic.Int32
}

// Silent: the path that keeps the socket registered is the one where
// others still hold it (a reference count), not a close that forgot.
func (s *shared) Close() error { // want Close:"delete _ from sockets; close p0 after delete _ from sockets; close p0\\.Closer after delete _ from sockets"
	mu.Lock()
	defer mu.Unlock()
	err := s.Closer.Close()
	if s.count.Add(-1) == 0 {
		delete(sockets, s.key)
	}
	return err
}

func openShared(key string, c io.Closer) *shared { // want openShared:"insert r0 into sockets locked"
	mu.Lock()
	defer mu.Unlock()
	if s, ok := sockets[key]; ok {
		s.count.Add(1)
		return s
	}
	s := &shared{Closer: c, key: key, count: new(atomic.Int32)}
	s.count.Store(1)
	sockets[key] = s
	return s
}

// wrapA wraps what the factory registered, with a name to release
// elsewhere.
type wrapA struct {
	io.Closer
	name string
}

func (w *wrapA) Close() error { return w.Closer.Close() } // want Close:"close p0; close p0\\.Closer"

// Silent: the factory returns the registered socket or a wrapper around
// it, and registered the socket, not the wrapper: which type's close
// would owe the removal is not known (and the wrapper's Close closes the
// socket, whose own Close unregisters).
func listen(key string, wrap bool, c io.Closer) io.Closer { // want listen:"insert r0 into sockets if p1 == false locked"
	var ln io.Closer = openShared(key, c)
	if wrap {
		ln = &wrapA{ln, key}
	}
	return ln
}

// Server keeps a table of its own queues, and registers one of them in it
// when it is made (nats-server's ipQueues).
type Server struct {
	queues sync.Map
	main   *queue
}

type queue struct{ ch chan int }

func NewServer() *Server { // want NewServer:"insert r0\\.main into Server\\.queues"
	s := &Server{}
	s.main = &queue{ch: make(chan int)}
	s.queues.Store("main", s.main)
	return s
}

// Silent: the table dies with the server it belongs to.
func (s *Server) Shutdown() { close(s.main.ch) }
