package silentreg

import "sync"

// The hub removes a link when it drains, by a function that also hands
// the link to a closure: the link lives in a cell there, and the delete
// by it still names the link. Cut down from a QUIC endpoint's drained
// connections.
type link struct {
	ids  []string
	done chan struct{}
}

func (l *link) Close() error { close(l.done); return nil } // want Close:"close p0; close p0.done"

type Hub struct {
	mu    sync.Mutex
	links map[*link]struct{}
	byID  map[string]*link
}

func (h *Hub) Open() *link { // want Open:"insert r0 into Hub.links locked"
	l := &link{done: make(chan struct{})}
	h.mu.Lock()
	h.links[l] = struct{}{}
	h.mu.Unlock()
	return l
}

func (h *Hub) each(f func()) { f() } // want each:"runs p1"

func (h *Hub) drained(l *link) { // want drained:"delete _ from Hub.byID; delete _ from Hub.links"
	h.each(func() {
		for _, id := range l.ids {
			delete(h.byID, id)
		}
	})
	h.mu.Lock()
	delete(h.links, l)
	h.mu.Unlock()
}
