// Package reverse is the shape of a released bug (a recreated topic
// stored over its old entry, whose old id stayed in the by-id index): a
// cache keeps entries by name and, in a reverse index, the name by the
// entry's id.
package reverse

import "sync"

type entry struct {
	id    uint64
	parts []int
	when  int64
}

type Cache struct {
	mu     sync.Mutex
	byName map[string]entry
	byID   map[uint64]string
}

type update struct {
	Name string
	ID   uint64
}

// Store puts each update in both indexes; a name seen before under another
// id leaves that id behind in byID.
func (c *Cache) Store(ups []update, now int64) { // want Store:"delete _ from Cache\\.byID; delete _ from Cache\\.byName"
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, u := range ups {
		name := u.Name
		e := entry{id: u.ID, when: now}
		c.byName[name] = e // want `storing in Cache\.byName replaces the entry the key may hold, and leaves the old entry's id in Cache\.byID`
		if u.ID != 0 {
			c.byID[u.ID] = name
		}
	}
	for name, e := range c.byName {
		if now-e.when > 100 {
			delete(c.byName, name)
			delete(c.byID, e.id)
		}
	}
}

// StoreFixed takes the old id out first.
func (c *Cache) StoreFixed(ups []update, now int64) { // want StoreFixed:"delete _ from Cache\\.byID"
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, u := range ups {
		name := u.Name
		if old, ok := c.byName[name]; ok && old.id != u.ID {
			delete(c.byID, old.id)
		}
		c.byName[name] = entry{id: u.ID, when: now}
		c.byID[u.ID] = name
	}
}

// Purge removes entries by name, with their ids.
func (c *Cache) Purge(names []string) { // want Purge:"delete _ from Cache\\.byID; delete _ from Cache\\.byName"
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, n := range names {
		if e, ok := c.byName[n]; ok {
			delete(c.byID, e.id)
			delete(c.byName, n)
		}
	}
}

// Labels has a reverse index nobody removes from with its entries: no
// evidence, no report.
type Labels struct {
	byKey map[string]entry
	byID  map[uint64]string
}

func (l *Labels) Set(key string, id uint64) { // want Set:"delete key p1 from Labels\\.byKey; delete key p2 from Labels\\.byID"
	l.byKey[key] = entry{id: id}
	l.byID[id] = key
}
