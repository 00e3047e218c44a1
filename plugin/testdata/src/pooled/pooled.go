package pooled

import "sync"

type Conn struct{ id string }

var (
	conns = map[string]*Conn{}
	pool  sync.Pool
)

func drop(id string) { // want drop:"delete key p0 from conns"
	c := &Conn{id: id}
	conns[id] = c
	pool.Put(c) // want `c freed by pool.Put while still in index conns`
}
