package proxymodel

import (
	"fmt"
	"strings"
)

// poisonByte is HAProxy's default pool poisoning byte (-dMP, 'P').
const poisonByte = 'P'

// PoolStats counts a pool's objects. A pool is balanced when
// Allocated == InUse+Idle and Allocated+Reused == InUse+Freed.
type PoolStats struct {
	Allocated int // objects created, each once
	Reused    int // allocations served from the free list
	InUse     int // objects handed out and not freed
	Idle      int // freed objects waiting on the free list
	Freed     int // calls to Free
}

// Balanced reports whether the counters agree with each other.
func (s PoolStats) Balanced() bool {
	return s.Allocated == s.InUse+s.Idle && s.Allocated+s.Reused == s.InUse+s.Freed
}

// Pool hands out proxies the way HAProxy's pools do: a freed object is
// poisoned and kept on a free list, and the next allocation reuses the most
// recently freed object before creating a new one. Poisoning makes stale
// pointers detectable: a tree operation that reaches a poisoned node panics,
// and one that reaches a node whose memory was reused notices that the node is
// not in its tree.
type Pool struct {
	free  []*Proxy
	stats PoolStats
}

// Stats returns the pool's counters.
func (pool *Pool) Stats() PoolStats { return pool.stats }

// Alloc returns a zeroed proxy, reusing the most recently freed one if any.
func (pool *Pool) Alloc() *Proxy {
	var p *Proxy
	if n := len(pool.free); n > 0 {
		p = pool.free[n-1]
		pool.free[n-1] = nil
		pool.free = pool.free[:n-1]
		pool.stats.Idle--
		pool.stats.Reused++
		// Only the pool's own trace survives reuse, as a debugging
		// allocator's object header would.
		*p = Proxy{lastFreed: p.lastFreed}
	} else {
		p = new(Proxy)
		pool.stats.Allocated++
	}
	p.state = stateLive
	p.byName.owner = p
	pool.stats.InUse++
	return p
}

// Free ends p's life: it poisons every field, including the links of the
// name node, and puts p on the free list. Freeing a freed proxy panics.
//
//lifecycle:free p
func (pool *Pool) Free(p *Proxy) {
	if p.poisoned() {
		panic(fmt.Sprintf("proxymodel: double free of proxy %q", p.lastFreed))
	}
	p.lastFreed = p.name
	poison := strings.Repeat(string(rune(poisonByte)), len(p.name))
	p.state = statePoisoned
	p.name = poison
	p.cap = Cap(poisonByte)
	// The links become garbage: following them without the poison check
	// would loop on the node itself.
	n := &p.byName
	n.key = poison
	n.tree = nil
	n.parent, n.left, n.right = n, n, n
	pool.free = append(pool.free, p)
	pool.stats.InUse--
	pool.stats.Idle++
	pool.stats.Freed++
}
