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

// Cancels counts the listeners NotifyCancel saw.
var cancels = map[chan int]int{}

// NotifyCancel is learned to register l and to close it: both are wrong
// for its users (the count is a statistic, and the close runs only once
// the connection is gone). The rules file says op: none: nothing learned
// of l stands at its calls. Its own body is still judged as it reads.
func NotifyCancel(l chan int, shut bool) { // want NotifyCancel:"close p0; insert p0 into cancels"
	cancels[l]++
	if shut {
		close(l) // want `l closed by close while still in index cancels`
	}
}
