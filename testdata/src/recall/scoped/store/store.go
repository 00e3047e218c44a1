// Package store is a transaction helper reached through an interface,
// implemented once, here.
package store

import "errors"

// Client runs functions in transactions.
type Client interface {
	// InTx runs fn, then commits; the commit can fail after fn succeeded.
	InTx(fn func() error) error // want InTx:"runs p1"
	Close() error
}

type client struct{ pending int }

// New returns a Client.
func New() Client { return &client{} } // want New:"r0 is \\*recall/scoped/store\\.client"

var errBusy = errors.New("busy")

func (c *client) InTx(fn func() error) error { // want InTx:"runs p1"
	if err := fn(); err != nil {
		return err
	}
	return c.commit()
}

func (c *client) commit() error {
	if c.pending > 3 {
		return errBusy
	}
	return nil
}

func (c *client) Close() error { return nil }
