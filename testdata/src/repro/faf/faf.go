package faf

import "sync"

type Conn struct{ n int }

func (c *Conn) Close() error { return nil }

type Map[K comparable, V any] struct {
	sync.Mutex
	m map[K]V
}

func (c *Map[K, V]) Load(key K) (value V, ok bool) { value, ok = c.m[key]; return } // want Load:"insert r0 into Map\\.m"
func (c *Map[K, V]) Store(key K, value V)          { c.m[key] = value }             // want Store:"insert p1 into Map\\.m; insert p2 into Map\\.m"

type Sharded[K comparable, V any] struct{ shards []*Map[K, V] }

func (c *Sharded[K, V]) get(key K) *Map[K, V] { return c.shards[0] }
func (c *Sharded[K, V]) Load(key K) (V, bool) { // want Load:"insert r0 into Map\\.m"
	b := c.get(key)
	return b.Load(key)
}
func (c *Sharded[K, V]) Store(key K, value V) { // want Store:"insert p1 into Map\\.m locked; insert p2 into Map\\.m locked"
	b := c.get(key)
	b.Lock()
	b.Store(key, value)
	b.Unlock()
}

type Hub struct {
	plain   map[string]*Conn
	wrapped *Map[string, *Conn]
	sharded *Sharded[string, *Conn]
}

// Plain: close the old one, replace it under the same key.
func (h *Hub) Plain(name string, c *Conn) { // want Plain:"insert p2 into Hub\\.plain"
	if old, ok := h.plain[name]; ok {
		old.Close()
	}
	h.plain[name] = c
}

// Wrapped: the same through a one-level generic wrapper.
func (h *Hub) Wrapped(name string, c *Conn) { // want Wrapped:"insert p2 into Map\\.m"
	if old, ok := h.wrapped.Load(name); ok {
		old.Close()
	}
	h.wrapped.Store(name, c)
}

// Sharded: the same through a two-level sharded wrapper.
func (h *Hub) Sharded(name string, c *Conn) { // want Sharded:"insert p2 into Map\\.m locked"
	if old, ok := h.sharded.Load(name); ok {
		old.Close()
	}
	h.sharded.Store(name, c)
}
