// Package inverse is the shape of a released bug (a fulfilled promise
// left in the per-peer index): a relation between topics and peers is
// kept in two nested maps, one per direction, and one removal takes a
// topic out of one of them only.
package inverse

import "sync"

type topic string
type peer string

type Tracker struct {
	mu      sync.Mutex
	byTopic map[topic]map[peer]int
	byPeer  map[peer]map[topic]struct{}
}

// Add stores the pair both ways.
func (t *Tracker) Add(tp topic, p peer, n int) { // want Add:"delete key p1 from Tracker\\.byPeer; delete key p1 from Tracker\\.byTopic; delete key p2 from Tracker\\.byPeer; delete key p2 from Tracker\\.byTopic"
	t.mu.Lock()
	defer t.mu.Unlock()
	peers, ok := t.byTopic[tp]
	if !ok {
		peers = make(map[peer]int)
		t.byTopic[tp] = peers
	}
	peers[p] = n
	topics, ok := t.byPeer[p]
	if !ok {
		topics = make(map[topic]struct{})
		t.byPeer[p] = topics
	}
	topics[tp] = struct{}{}
}

// DropPeer removes every pair of p from both.
func (t *Tracker) DropPeer(p peer) { // want DropPeer:"delete _ from Tracker\\.byPeer; delete _ from Tracker\\.byTopic"
	t.mu.Lock()
	defer t.mu.Unlock()
	for tp := range t.byPeer[p] {
		peers := t.byTopic[tp]
		delete(peers, p)
		if len(peers) == 0 {
			delete(t.byTopic, tp)
		}
	}
	delete(t.byPeer, p)
}

// Expire removes the pairs over a limit from both, and the inner maps it
// empties.
func (t *Tracker) Expire(limit int) { // want Expire:"delete _ from Tracker\\.byPeer; delete _ from Tracker\\.byTopic"
	t.mu.Lock()
	defer t.mu.Unlock()
	for tp, peers := range t.byTopic {
		for p, n := range peers {
			if n > limit {
				delete(peers, p)
				topics := t.byPeer[p]
				delete(topics, tp)
				if len(topics) == 0 {
					delete(t.byPeer, p)
				}
			}
		}
		if len(peers) == 0 {
			delete(t.byTopic, tp)
		}
	}
}

// Done forgets a topic in one direction only: byPeer keeps it.
func (t *Tracker) Done(tp topic) { // want Done:"delete _ from Tracker\\.byTopic"
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.byTopic, tp) // want `tp removed from Tracker\.byTopic but left in Tracker\.byPeer, which holds the same pairs the other way round, as \(\*Tracker\)\.Add stores them: \(\*Tracker\)\.DropPeer, \(\*Tracker\)\.Expire and \(\*Tracker\)\.DoneFixed remove them from both`
}

// DoneFixed walks the topic's peers and removes it from theirs.
func (t *Tracker) DoneFixed(tp topic) { // want DoneFixed:"delete _ from Tracker\\.byPeer; delete _ from Tracker\\.byTopic"
	t.mu.Lock()
	defer t.mu.Unlock()
	peers, ok := t.byTopic[tp]
	if !ok {
		return
	}
	delete(t.byTopic, tp)
	for p := range peers {
		if topics, ok := t.byPeer[p]; ok {
			delete(topics, tp)
			if len(topics) == 0 {
				delete(t.byPeer, p)
			}
		}
	}
}

// Cache has two nested maps that are no relation read two ways (the keys
// differ): removing from one alone is nothing to report.
type Cache struct {
	byName map[string]map[int]bool
	byID   map[int]map[string]bool
}

func (c *Cache) Put(name string, id int, alias string, n int) { // want Put:"delete key p1 from Cache\\.byName; delete key p2 from Cache\\.byName; delete key p3 from Cache\\.byID; delete key p4 from Cache\\.byID"
	if c.byName[name] == nil {
		c.byName[name] = make(map[int]bool)
	}
	c.byName[name][id] = true
	if c.byID[n] == nil {
		c.byID[n] = make(map[string]bool)
	}
	c.byID[n][alias] = true
}

func (c *Cache) Forget(name string) { delete(c.byName, name) } // want Forget:"delete _ from Cache\\.byName"
