// Package conn is a client's connection, used through an interface its
// package implements once.
package conn

import (
	"errors"
	"sync"
)

// Handler receives what the connection reads for it.
type Handler interface{ Handle(msg string) }

// Connection is what the client packages see.
type Connection interface {
	AddHandler(id uint64, h Handler) error // want AddHandler:"insert p2 into connection.handlers if r0 == nil locked"
	DeleteHandler(id uint64)               // want DeleteHandler:"delete _ from connection.handlers"
}

type connection struct {
	mu       sync.Mutex
	closed   bool
	handlers map[uint64]Handler
}

// New returns a connection.
func New() Connection { return &connection{handlers: make(map[uint64]Handler)} } // want New:"delete _ from connection\\.handlers; r0 is \\*recall/ctorfail/conn\\.connection"

var errClosed = errors.New("connection closed")

func (c *connection) AddHandler(id uint64, h Handler) error { // want AddHandler:"insert p2 into connection\\.handlers if r0 == nil locked"
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return errClosed
	}
	c.handlers[id] = h
	return nil
}

func (c *connection) DeleteHandler(id uint64) { // want DeleteHandler:"delete _ from connection\\.handlers"
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.handlers, id)
}
