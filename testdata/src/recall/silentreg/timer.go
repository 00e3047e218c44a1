package silentreg

import (
	"sync"
	"time"
)

// An answer registered for a query is removed by the timer set when it
// was registered, whether or not the caller closed it first: the timer's
// closure deletes it by a field of the answer it captured. Cut down from
// a gossip library's query responses.
type answer struct {
	seq    uint64
	closed bool
	out    chan string
	mu     sync.Mutex
}

func (a *answer) Close() { // want Close:"close p0; close p0.out"
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return
	}
	a.closed = true
	close(a.out)
}

type Asker struct {
	mu      sync.Mutex
	seq     uint64
	answers map[uint64]*answer
}

func (k *Asker) Ask(timeout time.Duration) *answer { // want Ask:"insert r0 into Asker.answers locked"
	k.mu.Lock()
	defer k.mu.Unlock()
	k.seq++
	a := &answer{seq: k.seq, out: make(chan string, 1)}
	k.answers[a.seq] = a
	time.AfterFunc(timeout, func() {
		k.mu.Lock()
		delete(k.answers, a.seq)
		a.Close()
		k.mu.Unlock()
	})
	return a
}
