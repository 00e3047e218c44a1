// Package knownfalse holds the false-alarm classes still open from the
// real-module runs (README, "Reports on real code"). Each report here is
// wrong; the want comments record today's output so that the fix of a
// class shows up as a test to update, from a report to silence.
package knownfalse

import (
	"bufio"
	"io"
	"net"
	"sync"
)

// 1. Removal through hooks the pool calls through an interface
// (go-redis: the pool's OnRemove hook untracks the connection).
type Conn struct{ id int }

func (c *Conn) Close() error { return nil }

type Hook interface{ OnRemove(c *Conn) }

type Pool struct{ hooks []Hook }

func (p *Pool) Remove(c *Conn) {
	for _, h := range p.hooks {
		h.OnRemove(c)
	}
}

type Tracker struct{ conns sync.Map }

func (t *Tracker) OnRemove(c *Conn) { t.conns.Delete(c.id) } // want OnRemove:"delete _ from Tracker.conns"

func (t *Tracker) Track(c *Conn) { t.conns.Store(c.id, c) } // want Track:"insert p1 into Tracker.conns"

type Other struct{}

func (Other) OnRemove(*Conn) {}

func session(t *Tracker, p *Pool, c *Conn) { // want session:"close p2"
	t.Track(c)
	c.Close() // want `c closed by c.Close while still in index Tracker.conns .* \[closed\]`
	p.Remove(c)
}

// 2. A phi of a connection and a reader; the callee pools only the reader,
// after a type assertion (fasthttp's hijack handler).
var readers sync.Pool

func release(r io.Reader) { // want release:"free p0"
	if br, ok := r.(*bufio.Reader); ok {
		readers.Put(br)
	}
}

type Server struct{ idle map[net.Conn]bool }

func (s *Server) hijack(c net.Conn, br *bufio.Reader, buffered bool) { // want hijack:"free p1; free p2; delete _ from Server.idle"
	s.idle[c] = true
	var r io.Reader = c
	if buffered {
		r = br
	}
	go release(r) // want `r freed by release while still in index Server.idle .* \[freed\]`
	delete(s.idle, c)
}
