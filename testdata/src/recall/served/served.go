// Package served is the shape of a released bug (each fetch registers a
// status channel on the connection; the goroutine that reads it returns
// when the fetch's context ends, and the channel stays registered): a
// registration that one goroutine serves ends when that goroutine does.
package served

import (
	"context"
	"sync"
)

type Status int

type Conn struct {
	mu        sync.Mutex
	listeners map[Status][]chan Status
}

// StatusChanged registers a new channel for the statuses.
func (nc *Conn) StatusChanged(statuses ...Status) chan Status { // want StatusChanged:"insert r0 into Conn\\.listeners locked"
	ch := make(chan Status, 10)
	nc.mu.Lock()
	defer nc.mu.Unlock()
	for _, s := range statuses {
		nc.listeners[s] = append(nc.listeners[s], ch)
	}
	return ch
}

// RemoveStatusListener unregisters ch.
func (nc *Conn) RemoveStatusListener(ch chan Status) { // want RemoveStatusListener:"delete _ from Conn\\.listeners"
	nc.mu.Lock()
	defer nc.mu.Unlock()
	for s, ls := range nc.listeners {
		var keep []chan Status
		for _, l := range ls {
			if l != ch {
				keep = append(keep, l)
			}
		}
		nc.listeners[s] = keep
	}
}

func (nc *Conn) Fetch(ctx context.Context, cancel func()) {
	changed := nc.StatusChanged()
	go func() { // want `changed stays in Conn\.listeners after the goroutine that reads it returns`
		select {
		case <-ctx.Done():
			return
		case <-changed:
			cancel()
			return
		}
	}()
}

func (nc *Conn) FetchFixed(ctx context.Context, cancel func()) { // want FetchFixed:"delete _ from Conn\\.listeners"
	changed := nc.StatusChanged()
	go func() {
		select {
		case <-ctx.Done():
		case <-changed:
			cancel()
		}
		nc.RemoveStatusListener(changed)
	}()
}

// Watch serves its channel until the connection closes it: whoever
// closes it ends the registration.
func (nc *Conn) Watch(f func(Status)) {
	ch := nc.StatusChanged()
	go func() {
		for s := range ch {
			f(s)
		}
	}()
}

// FetchTimed closes its own timer channel as it returns: closing something
// else is no removal of the registration.
func (nc *Conn) FetchTimed(ctx context.Context, cancel func()) {
	changed := nc.StatusChanged()
	tick := make(chan struct{})
	go func() { // want `changed stays in Conn\.listeners after the goroutine that reads it returns`
		defer close(tick)
		select {
		case <-ctx.Done():
		case <-changed:
			cancel()
		}
	}()
}
