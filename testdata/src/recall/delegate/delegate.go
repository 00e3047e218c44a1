// Package delegate holds connections handed an event handler when they
// are made, whose close handler deletes the connection from its owner's
// map: closing such a connection is clean for that map. Written by hand
// after a client library whose connections call their delegate's OnClose
// as they close, with one delegate per kind of owner.
package delegate

import "sync"

type Handler interface {
	OnData(c *Conn, b []byte)
	OnClose(c *Conn)
}

type Conn struct {
	addr string
	h    Handler
	done chan struct{}
}

func NewConn(addr string, h Handler) *Conn {
	return &Conn{addr: addr, h: h, done: make(chan struct{})}
}

func (c *Conn) Close() error { // want Close:"close p0; close p0.done"
	close(c.done)
	c.h.OnClose(c)
	return nil
}

type Consumer struct {
	mu    sync.Mutex
	conns map[string]*Conn
}

type consumerHandler struct{ r *Consumer }

func (h *consumerHandler) OnData(c *Conn, b []byte) {}
func (h *consumerHandler) OnClose(c *Conn)          { h.r.onConnClose(c) } // want OnClose:"delete _ from Consumer.conns"

func (r *Consumer) onConnClose(c *Conn) { // want onConnClose:"delete _ from Consumer.conns"
	r.mu.Lock()
	delete(r.conns, c.addr)
	r.mu.Unlock()
}

func (r *Consumer) Connect(addr string) { // want Connect:"delete key p1 from Consumer.conns"
	c := NewConn(addr, &consumerHandler{r})
	r.mu.Lock()
	r.conns[addr] = c
	r.mu.Unlock()
}

// Disconnect closes the conn; its handler's OnClose deletes it.
func (r *Consumer) Disconnect(addr string) {
	r.mu.Lock()
	c, ok := r.conns[addr]
	r.mu.Unlock()
	if ok {
		c.Close()
	}
}

type Producer struct {
	mu   sync.Mutex
	conn *Conn
	open map[*Conn]bool
}

type producerHandler struct{ w *Producer }

func (h *producerHandler) OnData(c *Conn, b []byte) {}
func (h *producerHandler) OnClose(c *Conn) { // want OnClose:"delete _ from Producer.open"
	h.w.mu.Lock()
	delete(h.w.open, c)
	h.w.mu.Unlock()
}

func (w *Producer) connect(addr string) { // want connect:"insert p0.conn into Producer.open"
	w.conn = NewConn(addr, &producerHandler{w})
	w.open[w.conn] = true
}
