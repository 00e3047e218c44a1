// Package consumer keeps its listeners in a map and hands them to amqp.
package consumer

import (
	"sync"

	"override/amqp"
)

type Consumer struct {
	mu        sync.Mutex
	listeners map[string]chan int
}

// Returns is silent: the rules file says NotifyReturn keeps l.
func (c *Consumer) Returns(ch *amqp.Channel, name string) { // want Returns:"delete key p2 from Consumer\\.listeners"
	l := make(chan int, 1)
	c.mu.Lock()
	c.listeners[name] = l
	c.mu.Unlock()
	ch.NotifyReturn(l)
}

// Flow is reported: NotifyFlow's learned close has no rule against it.
func (c *Consumer) Flow(ch *amqp.Channel, name string) { // want Flow:"delete key p2 from Consumer\\.listeners"
	l := make(chan int, 1)
	c.mu.Lock()
	c.listeners[name] = l
	c.mu.Unlock()
	ch.NotifyFlow(l) // want `l closed by ch.NotifyFlow while still in index Consumer.listeners`
}

// Cancels forgets to delete its listener before closing it: reported for
// its own map only. The rules file says NotifyCancel does nothing to l, so
// l is in no index of amqp's (with no rule, the learned insert would put
// it in amqp's map too; op: keep would hand l over and silence both).
func (c *Consumer) Cancels(name string) { // want Cancels:"delete key p1 from Consumer\\.listeners"
	l := make(chan int, 1)
	c.listeners[name] = l
	amqp.NotifyCancel(l, false)
	close(l) // want `^l closed by close while still in index Consumer.listeners \(inserted at consumer.go:39\); delete it from Consumer.listeners \[closed\]$`
}
