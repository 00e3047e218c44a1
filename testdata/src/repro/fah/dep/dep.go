// Package dep is an AMQP-style client: it closes a listener channel at
// once only when the connection is already shut down, and otherwise keeps
// it to deliver the close error later. Which one a call did depends on
// its state, which the caller does not see.
package dep

import "sync"

type Conn struct {
	mu        sync.Mutex
	shut      bool
	listeners []chan error
	blocked   map[chan bool]struct{}
}

// NotifyClose closes l if the connection is shut down, else keeps it.
func (c *Conn) NotifyClose(l chan error) chan error { // want NotifyClose:"maybe close p1"
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.shut {
		close(l)
	} else {
		c.listeners = append(c.listeners, l)
	}
	return l
}

// NotifyBlocked keeps l in a map field, or closes it: the same.
func (c *Conn) NotifyBlocked(l chan bool) { // want NotifyBlocked:"maybe close p1"
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.shut {
		close(l)
		return
	}
	c.blocked[l] = struct{}{}
}

// Drain always closes l: a caller that still holds it in an index is told.
func (c *Conn) Drain(l chan error) { // want Drain:"close p1"
	for range l {
	}
	close(l)
}

// CloseIfShut closes l when shut and keeps it nowhere otherwise: a close
// on some paths that no state of the call hides (the caller's l is simply
// left open on the others). It stays a close.
func (c *Conn) CloseIfShut(l chan error) { // want CloseIfShut:"close p1"
	if c.shut {
		close(l)
	}
}
