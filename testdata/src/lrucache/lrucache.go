// Package lrucache is a cache indexed twice, by a map and by an LRU list,
// with entries recycled through a pool: each free must leave both.
package lrucache

import (
	"container/list"
	"sync"
)

type entry struct {
	key  string
	val  []byte
	elem *list.Element
}

type Cache struct {
	mu    sync.Mutex
	items map[string]*entry
	lru   *list.List
	pool  sync.Pool
}

func (c *Cache) Put(k string, v []byte) { // want Put:"delete _ from Cache\\.items; delete _ from Cache\\.lru"
	c.mu.Lock()
	defer c.mu.Unlock()
	e, _ := c.pool.Get().(*entry)
	if e == nil {
		e = new(entry)
	}
	e.key, e.val = k, v
	e.elem = c.lru.PushFront(e)
	c.items[k] = e
	if c.lru.Len() > 128 {
		c.evict()
	}
}

func (c *Cache) evict() { // want evict:"delete _ from Cache\\.items; delete _ from Cache\\.lru"
	back := c.lru.Back()
	e := back.Value.(*entry)
	c.lru.Remove(back)
	delete(c.items, e.key)
	c.pool.Put(e)
}

// The entry came out of the list; that it is in items too is an invariant
// of Put, which this function cannot see: no report (a known limit).
func (c *Cache) evictForgetsMap() { // want evictForgetsMap:"delete _ from Cache\\.lru"
	back := c.lru.Back()
	e := back.Value.(*entry)
	c.lru.Remove(back)
	c.pool.Put(e)
}

func (c *Cache) dropForgetsMap(k string) { // want dropForgetsMap:"delete _ from Cache\\.lru"
	e := c.items[k]
	c.lru.Remove(e.elem)
	c.pool.Put(e) // want `e freed by c.pool.Put while still in index Cache.items \(read from it at lrucache.go:56\)`
}

func (c *Cache) Remove(k string) { // want Remove:"delete _ from Cache\\.items; delete _ from Cache\\.lru"
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[k]
	if !ok {
		return
	}
	delete(c.items, k)
	c.lru.Remove(e.elem)
	c.pool.Put(e)
}

func (c *Cache) removeForgetsList(k string) { // want removeForgetsList:"delete _ from Cache\\.items"
	e, ok := c.items[k]
	if !ok {
		return
	}
	delete(c.items, k)
	c.pool.Put(e) // in lru too, by Put's invariant: not visible here
}

// Reset drops everything: the indexes are replaced before the entries go
// back to the pool.
func (c *Cache) Reset() { // want Reset:"delete _ from Cache\\.items; delete _ from Cache\\.lru"
	old := c.items
	c.items = make(map[string]*entry)
	c.lru.Init()
	for _, e := range old {
		c.pool.Put(e)
	}
}
