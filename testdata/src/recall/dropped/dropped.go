// Package dropped is the shape of a released bug (a new session stored
// in the listener's map, then dropped when the accept queue is full): the
// object is handed over by a select whose default branch drops it, and on
// that branch it stays in the index with no one to close it.
package dropped

import "sync"

type Session struct {
	addr string
	in   chan []byte
}

type Listener struct {
	mu       sync.Mutex
	sessions map[string]*Session
	accepts  chan *Session
}

func (l *Listener) packetInput(addr string, data []byte) { // want packetInput:"delete key p1 from Listener\\.sessions"
	l.mu.Lock()
	s, ok := l.sessions[addr]
	l.mu.Unlock()
	if ok {
		s.in <- data
		return
	}
	s = &Session{addr: addr, in: make(chan []byte, 8)}
	l.mu.Lock()
	l.sessions[addr] = s
	l.mu.Unlock()
	select { // want `s dropped .* while still in index Listener\.sessions`
	case l.accepts <- s:
	default:
	}
}

// packetInputFixed refuses the session before it is stored.
func (l *Listener) packetInputFixed(addr string) { // want packetInputFixed:"delete key p1 from Listener\\.sessions"
	if len(l.accepts) >= cap(l.accepts) {
		return
	}
	s := &Session{addr: addr, in: make(chan []byte, 8)}
	l.mu.Lock()
	l.sessions[addr] = s
	l.mu.Unlock()
	l.accepts <- s
}

// packetInputUndo deletes the session it could not hand over.
func (l *Listener) packetInputUndo(addr string) { // want packetInputUndo:"delete _ from Listener\\.sessions; delete key p1 from Listener\\.sessions"
	s := &Session{addr: addr, in: make(chan []byte, 8)}
	l.mu.Lock()
	l.sessions[addr] = s
	l.mu.Unlock()
	select {
	case l.accepts <- s:
	default:
		l.mu.Lock()
		delete(l.sessions, addr)
		l.mu.Unlock()
	}
}

// notify stores an existing, served object and only hints at it: the
// object is not made here, the hint may be dropped.
func (l *Listener) notify(s *Session) { // want notify:"insert p1 into Listener\\.sessions locked"
	l.mu.Lock()
	l.sessions[s.addr] = s
	l.mu.Unlock()
	select {
	case l.accepts <- s:
	default:
	}
}
