// Package user keeps its listeners in a map and hands each to the client.
package user

import (
	"sync"

	"repro/fah/dep"
)

type Watcher struct {
	mu        sync.Mutex
	listeners map[string]chan error
}

// Watch is silent: NotifyClose closes c only on a shut connection, and
// keeps it otherwise.
func (w *Watcher) Watch(conn *dep.Conn, name string) { // want Watch:"delete key p2 from Watcher\\.listeners"
	c := make(chan error, 1)
	w.mu.Lock()
	w.listeners[name] = c
	w.mu.Unlock()
	conn.NotifyClose(c)
}

// Drained is reported: Drain always closes c.
func (w *Watcher) Drained(conn *dep.Conn, name string) { // want Drained:"delete key p2 from Watcher\\.listeners"
	c := make(chan error, 1)
	w.mu.Lock()
	w.listeners[name] = c
	w.mu.Unlock()
	conn.Drain(c) // want `c closed by conn.Drain while still in index Watcher.listeners`
}
