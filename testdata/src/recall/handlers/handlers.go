// Package handlers is the shape of a released bug (readers and multi-topic
// consumers registered in the client's handlers, never removed by their
// Close): the client's factory methods register what they return, through
// an interface; the consumer's own Close removes it, the reader's forgets.
package handlers

import "sync"

// Closable is what the client's handlers close when the client closes.
type Closable interface{ Close() }

// Handlers is the client's registry of what it made.
type Handlers struct {
	mu sync.Mutex
	m  map[Closable]bool
}

func (h *Handlers) Add(c Closable) { // want Add:"insert p1 into Handlers\\.m locked"
	h.mu.Lock()
	defer h.mu.Unlock()
	h.m[c] = true
}

func (h *Handlers) Del(c Closable) { // want Del:"delete _ from Handlers\\.m"
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.m, c)
}

type Client struct {
	handlers Handlers
}

type Consumer interface{ Close() }
type Reader interface{ Close() }

type consumer struct {
	client *Client
	done   chan struct{}
}

type reader struct {
	client *Client
	done   chan struct{}
}

func newConsumer(c *Client) (*consumer, error) {
	return &consumer{client: c, done: make(chan struct{})}, nil
}

func newReader(c *Client) (*reader, error) {
	return &reader{client: c, done: make(chan struct{})}, nil
}

func (c *Client) Subscribe() (Consumer, error) { // want Subscribe:"insert r0 into Handlers\\.m if r0 != nil locked"
	cons, err := newConsumer(c)
	if err != nil {
		return nil, err
	}
	c.handlers.Add(cons)
	return cons, nil
}

func (c *Client) CreateReader() (Reader, error) { // want CreateReader:"insert r0 into Handlers\\.m if r0 != nil locked"
	r, err := newReader(c)
	if err != nil {
		return nil, err
	}
	c.handlers.Add(r)
	return r, nil
}

func (c *consumer) Close() { // want Close:"delete _ from Handlers\\.m; close p0 after delete _ from Handlers\\.m; close p0\\.done after delete _ from Handlers\\.m"
	close(c.done)
	c.client.handlers.Del(c)
}

func (r *reader) Close() { // want Close:"close p0; close p0\\.done" `\(\*reader\)\.Close leaves r in Handlers\.m`
	close(r.done)
}

// CloseAll is the client's teardown: it closes and forgets everything it
// holds. It is no evidence that the reader's own Close need not forget it.
func (h *Handlers) CloseAll() { // want CloseAll:"delete _ from Handlers\\.m"
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.m {
		c.Close()
		delete(h.m, c)
	}
}
