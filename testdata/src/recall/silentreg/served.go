package silentreg

import "sync"

// A peer's own goroutine, started when it is registered, removes it by
// its name once the peer is done; Close only signals it. Cut down from a
// connection whose loop drains it from its endpoint.
type peer struct{ done chan struct{} }

func (p *peer) Close() error { close(p.done); return nil } // want Close:"close p0; close p0.done"

type Directory struct {
	mu     sync.Mutex
	byName map[string]*peer
}

func (d *Directory) Join(name string) *peer { // want Join:"delete _ from Directory.byName"
	p := &peer{done: make(chan struct{})}
	d.mu.Lock()
	d.byName[name] = p
	d.mu.Unlock()
	go func() {
		<-p.done
		d.mu.Lock()
		delete(d.byName, name)
		d.mu.Unlock()
	}()
	return p
}
