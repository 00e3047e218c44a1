// Package amqp is a client whose NotifyReturn closes its argument on every
// path the checker can see: it learns "closes p1". Its users know better
// (the channel is closed only when the connection dies, after they have
// stopped listening), and say so in the rules file with op: keep.
package amqp

import "sync"

type Channel struct {
	mu      sync.Mutex
	returns []chan int
}

// NotifyReturn drains what is pending, then closes l.
func (ch *Channel) NotifyReturn(l chan int) { // want NotifyReturn:"close p1"
	ch.mu.Lock()
	defer ch.mu.Unlock()
	for _, r := range ch.returns {
		_ = r
	}
	close(l)
}

// NotifyFlow is learned the same way, and has no rule: its close stays.
func (ch *Channel) NotifyFlow(l chan int) { // want NotifyFlow:"close p1"
	close(l)
}
