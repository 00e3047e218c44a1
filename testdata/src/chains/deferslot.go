package chains

import (
	"errors"
	"sync"
)

// A function with defers returns through result slots: an early return
// stores nil in them, the last one the callee's result. The insert the
// callee makes is still the caller's result (a subscribe under a lock).

type sub struct{ sid int }

func (s *sub) Close() error { return nil } // want `\(\*sub\)\.Close leaves s in conn\.subs: subscribeLocked registers it there`

type conn struct {
	mu   sync.Mutex
	next int
	subs map[int]*sub
}

func (c *conn) subscribeLocked(subj string) (*sub, error) { // want subscribeLocked:"insert r0 into conn.subs if r0 != nil"
	if subj == "" {
		return nil, errors.New("empty subject")
	}
	c.next++
	s := &sub{sid: c.next}
	c.subs[s.sid] = s
	return s, nil
}

func (c *conn) subscribe(subj string) (*sub, error) { // want subscribe:"insert r0 into conn.subs if r0 != nil"
	if c == nil {
		return nil, errors.New("no connection")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.subscribeLocked(subj)
}

func probe(c *conn) {
	s, err := c.subscribe("probe")
	if err != nil {
		return
	}
	s.Close() // the unregister check answers it once, at Close
}
