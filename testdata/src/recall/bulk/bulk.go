// Package bulk holds owners' closes that end every object of an index and
// leave them there, while the objects' own close deletes each one. Written
// by hand after a session whose Close ended its streams in a loop: a later
// per-stream close found the stream still there and returned its flow
// control credit a second time.
package bulk

import (
	"io"
	"sync"
)

type stream struct {
	id     int
	credit int
	rwc    io.Closer
}

func (st *stream) reset() { st.rwc.Close() } // want reset:"close p0.rwc"

type Session struct {
	mu      sync.Mutex
	streams map[int]*stream
	window  int
}

func (s *Session) open(id int, rwc io.Closer) *stream { // want open:"insert r0 into Session.streams locked"
	st := &stream{id: id, rwc: rwc}
	s.mu.Lock()
	s.streams[id] = st
	s.mu.Unlock()
	return st
}

// closeStream is the per-object close: it deletes and releases.
func (s *Session) closeStream(st *stream) { // want closeStream:"delete _ from Session.streams; close p1.rwc after delete _ from Session.streams"
	s.mu.Lock()
	delete(s.streams, st.id)
	s.window += st.credit
	s.mu.Unlock()
	st.reset()
}

// Close resets every stream and leaves them in the map.
func (s *Session) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.streams {
		st.reset() // want `st ended while still in Session\.streams: this loop ends each stream of Session\.streams and leaves it there, while \(\*Session\)\.closeStream deletes a stream from Session\.streams when it ends one`
	}
	return nil
}
