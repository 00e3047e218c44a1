// Package ctorfail is the shape of a released bug (a partition consumer
// registered on its connection, left there when its creation fails
// afterwards): the constructor hands the new object to its caller when it
// succeeds, and drops it, still registered, when a later step fails.
package ctorfail

import (
	"errors"

	"recall/ctorfail/conn"
)

type consumer struct {
	id      uint64
	cnx     conn.Connection
	permits *permits
	closeCh chan struct{}
}

// permits points back at its consumer: storing the consumer there hands
// it to no one.
type permits struct{ c *consumer }

func (c *consumer) Handle(msg string) {}

func (c *consumer) grabConn() error { // want grabConn:"insert p0 into connection\\.handlers if r0 == nil locked"
	return c.cnx.AddHandler(c.id, c)
}

func (c *consumer) seek() error { return errors.New("seek failed") }

// Close unregisters the consumer.
func (c *consumer) Close() { // want Close:"delete _ from connection\\.handlers; close p0 after delete _ from connection\\.handlers; close p0\\.closeCh after delete _ from connection\\.handlers"
	c.cnx.DeleteHandler(c.id)
	close(c.closeCh)
}

func newConsumer(cnx conn.Connection, id uint64, seek bool) (*consumer, error) { // want newConsumer:"insert r0 into connection\\.handlers locked"
	c := &consumer{id: id, cnx: cnx, closeCh: make(chan struct{})}
	c.permits = &permits{c: c}
	if err := c.grabConn(); err != nil {
		return nil, err
	}
	if seek {
		if err := c.seek(); err != nil {
			return nil, err // want `c stays in connection\.handlers when this path fails: the successful return at ctorfail\.go:\d+ hands it to the caller`
		}
	}
	return c, nil
}

func newConsumerFixed(cnx conn.Connection, id uint64, seek bool) (*consumer, error) { // want newConsumerFixed:"delete _ from connection\\.handlers if p2 == true; insert r0 into connection\\.handlers if r0 != nil locked"
	c := &consumer{id: id, cnx: cnx, closeCh: make(chan struct{})}
	c.permits = &permits{c: c}
	if err := c.grabConn(); err != nil {
		return nil, err
	}
	if seek {
		if err := c.seek(); err != nil {
			c.Close()
			return nil, err
		}
	}
	return c, nil
}
