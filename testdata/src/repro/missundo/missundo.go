// Package missundo: a future registered under its reply id, taken back by
// two failing returns and forgotten by a third, while a timer's closure
// that captures the future (and deletes it on timeout) makes it a
// variable closures share (../shared/repro/missundo, PublishI).
package missundo

import (
	"errors"
	"sync"
	"time"
)

type Future struct {
	id    string
	body  []byte
	timer *time.Timer
}

type Conn struct {
	mu      sync.Mutex
	futures map[string]*Future
	wait    time.Duration
	full    bool
}

var (
	errFull = errors.New("full")
	errBody = errors.New("bad body")
	errSend = errors.New("send failed")
)

func (c *Conn) add(id string, f *Future) int { // want add:"insert p2 into Conn\\.futures locked"
	c.mu.Lock()
	defer c.mu.Unlock()
	c.futures[id] = f
	return len(c.futures)
}

func (c *Conn) drop(id string) { // want drop:"delete _ from Conn\\.futures"
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.futures, id)
}

func send(id string, b []byte) error {
	if len(b) == 0 {
		return errSend
	}
	return nil
}

// Request registers a future whose timer may delete it later; the failing
// return on a bad body forgets the delete the other two make.
func (c *Conn) Request(id string, body []byte, old *Future) (*Future, error) { // want Request:"delete _ from Conn\\.futures; insert r0 into Conn\\.futures locked"
	f := old
	if f == nil {
		f = &Future{id: id, body: body}
		if n := c.add(id, f); c.full && n > 100 {
			c.drop(id)
			return nil, errFull
		}
		f.timer = time.AfterFunc(c.wait, func() {
			c.drop(id)
			f.body = nil
		})
	}
	if len(body) > 1<<20 {
		return nil, errBody // want `f stays in Conn\.futures when this path fails: the other 2 failing returns after its insert delete it`
	}
	if err := send(id, body); err != nil {
		c.drop(id)
		return nil, err
	}
	return f, nil
}
