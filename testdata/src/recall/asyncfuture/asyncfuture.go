// Package asyncfuture is the shape of a released bug (a future stored for
// an async reply and left in the table when the send fails): the
// synchronous call removes its future on every path, the asynchronous one
// forgets it on its failing return.
package asyncfuture

import (
	"context"
	"errors"
	"sync"
)

type Future struct {
	id   int
	done chan struct{}
}

type Client struct {
	table sync.Map
	conn  chan int
}

func (c *Client) send(id int) error {
	select {
	case c.conn <- id:
		return nil
	default:
		return errors.New("connection busy")
	}
}

// InvokeSync waits for the reply; the future leaves the table on every path.
func (c *Client) InvokeSync(ctx context.Context, id int) error { // want InvokeSync:"delete _ from Client\\.table"
	f := &Future{id: id, done: make(chan struct{})}
	c.table.Store(id, f)
	defer c.table.Delete(id)
	if err := c.send(id); err != nil {
		return err
	}
	select {
	case <-f.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// InvokeAsync returns at once; the reader deletes the future when the
// reply comes, but a failed send leaves it in the table for good. The
// future, made by a constructor, lives in a variable the waiting
// goroutine's function captures.
func (c *Client) InvokeAsync(id int) error {
	f := newFuture(id)
	c.table.Store(f.id, f)
	if err := c.send(id); err != nil {
		return err // want `f stays in Client\.table when this path fails: \(\*Client\)\.InvokeSync and \(\*Client\)\.InvokeAsyncFixed delete what they put there when they fail`
	}
	go recovering(func() { c.wait(f) })
	return nil
}

func newFuture(id int) *Future { return &Future{id: id, done: make(chan struct{})} }

func (c *Client) wait(f *Future) { <-f.done }

func recovering(f func()) { // want recovering:"runs p0"
	defer func() { _ = recover() }()
	f()
}

// InvokeAsyncFixed takes the future back when the send fails.
func (c *Client) InvokeAsyncFixed(id int) error { // want InvokeAsyncFixed:"delete _ from Client\\.table"
	f := &Future{id: id, done: make(chan struct{})}
	c.table.Store(id, f)
	if err := c.send(id); err != nil {
		c.table.Delete(id)
		return err
	}
	return nil
}

func (c *Client) receive(id int) { // want receive:"delete _ from Client\\.table"
	if v, ok := c.table.LoadAndDelete(id); ok {
		close(v.(*Future).done)
	}
}
