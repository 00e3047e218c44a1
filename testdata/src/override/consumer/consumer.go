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
