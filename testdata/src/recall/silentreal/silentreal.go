// Package silentreal holds correct code that the checks took for the bugs
// of ../../recall, each cut down from a false alarm on a real module in
// the round that added those checks.
package silentreal

import (
	"errors"
	"sync"
	"sync/atomic"
)

var errReset = errors.New("stream reset")

// pipe is held by value in its stream; closing it ends the pipe, not the
// stream (x/net's http2 clientStream.bufPipe).
type pipe struct {
	err  error
	done chan struct{}
}

func (p *pipe) CloseWithError(err error) { // want CloseWithError:"close p0; close p0\\.done"
	p.err = err
	close(p.done)
}

type stream struct {
	id  int
	buf pipe
}

type Conn struct {
	mu      sync.Mutex
	streams map[int]*stream
}

func (c *Conn) byID(id int) *stream { // want byID:"insert r0 into Conn\\.streams"
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.streams[id]
}

// Silent: the stream's pipe is closed; the stream stays until its
// read loop forgets it.
func (c *Conn) reset(id int) {
	s := c.byID(id)
	if s == nil {
		return
	}
	s.buf.CloseWithError(errReset)
}

// ClientConn is kept by a pool in slices per address, and taken out by
// filtering (x/net's http2 clientConnPool).
type ClientConn struct {
	addr string
	done chan struct{}
}

func (cc *ClientConn) Close() error { // want Close:"close p0; close p0\\.done"
	close(cc.done)
	return nil
}

type Pool struct {
	mu    sync.Mutex
	conns map[string][]*ClientConn
	keys  map[*ClientConn][]string
}

// Silent: the pool removes a dead connection with MarkDead, which its
// read loop calls; Close need not.
func (p *Pool) Get(addr string) *ClientConn { // want Get:"insert r0 into Pool\\.conns locked; insert r0 into Pool\\.keys locked"
	p.mu.Lock()
	defer p.mu.Unlock()
	if cs := p.conns[addr]; len(cs) > 0 {
		return cs[0]
	}
	cc := &ClientConn{addr: addr, done: make(chan struct{})}
	p.conns[addr] = append(p.conns[addr], cc)
	p.keys[cc] = append(p.keys[cc], addr)
	return cc
}

func filterOut(in []*ClientConn, exclude *ClientConn) []*ClientConn {
	out := in[:0]
	for _, v := range in {
		if v != exclude {
			out = append(out, v)
		}
	}
	return out
}

func (p *Pool) MarkDead(cc *ClientConn) { // want MarkDead:"delete _ from Pool\\.conns; delete _ from Pool\\.keys"
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, key := range p.keys[cc] {
		vv, ok := p.conns[key]
		if !ok {
			continue
		}
		if rest := filterOut(vv, cc); len(rest) > 0 {
			p.conns[key] = rest
		} else {
			delete(p.conns, key)
		}
	}
	delete(p.keys, cc)
}

// Filter is shared by the chains that use it: Close releases one
// reference, and the manager drops it from its map when it rebuilds
// (grpc's refCountedServerFilter).
type Filter struct {
	name string
	refs atomic.Int32
	done chan struct{}
}

// Silent: a reference count, not a close that forgot to unregister.
func (f *Filter) Close() { // want Close:"close p0; close p0\\.done"
	if f.refs.Add(-1) == 0 {
		close(f.done)
	}
}

type Manager struct {
	filters map[string]*Filter
}

func (m *Manager) getOrCreate(name string) *Filter { // want getOrCreate:"insert r0 into Manager\\.filters"
	if f, ok := m.filters[name]; ok {
		f.refs.Add(1)
		return f
	}
	f := &Filter{name: name, done: make(chan struct{})}
	f.refs.Store(1)
	m.filters[name] = f
	return f
}

// entry is a message id kept for duplicate detection until a timer sweeps
// it out (nats-server's stream.ddmap).
type entry struct {
	id string
	ts int64
}

type Stream struct {
	mu    sync.Mutex
	dedup map[string]*entry
}

func (s *Stream) store(e *entry) { // want store:"insert p1 into Stream\\.dedup locked"
	s.mu.Lock()
	s.dedup[e.id] = e
	s.mu.Unlock()
}

func (s *Stream) commit(id string) error {
	if id == "" {
		return errors.New("no id")
	}
	return nil
}

// processBatch takes its entry back when it fails.
func (s *Stream) processBatch(id string, ts int64) error { // want processBatch:"delete _ from Stream\\.dedup"
	e := &entry{id: id, ts: ts}
	s.store(e)
	if err := s.commit(id); err != nil {
		s.mu.Lock()
		delete(s.dedup, id)
		s.mu.Unlock()
		return err
	}
	return nil
}

// Silent: what it leaves on failure the sweep removes once it expires.
func (s *Stream) process(id string, ts int64) error {
	e := &entry{id: id, ts: ts}
	s.store(e)
	if err := s.commit(id); err != nil {
		return err
	}
	return nil
}

// purge is the sweep: it drops what expired.
func (s *Stream) purge(now int64) { // want purge:"delete _ from Stream\\.dedup"
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, e := range s.dedup {
		if e.ts < now {
			delete(s.dedup, id)
		}
	}
}

// QStream is one direction-pair of a connection: its Close ends the send
// side, and the connection deletes it by number once both sides are done
// (quic-go's streams map).
type QStream struct {
	num  int
	done chan struct{}
}

func (s *QStream) Close() error { // want Close:"close p0; close p0\\.done"
	close(s.done)
	return nil
}

type QConn struct {
	mu      sync.Mutex
	streams map[int]*QStream
	next    int
}

// Silent: deleteStream removes streams by a plain number, which may be any
// stream's: the removal is that function's job.
func (c *QConn) OpenStream() *QStream { // want OpenStream:"insert r0 into QConn\\.streams locked"
	c.mu.Lock()
	defer c.mu.Unlock()
	c.next++
	s := &QStream{num: c.next, done: make(chan struct{})}
	c.streams[s.num] = s
	return s
}

func (c *QConn) deleteStream(num int) { // want deleteStream:"delete _ from QConn\\.streams"
	c.mu.Lock()
	delete(c.streams, num)
	c.mu.Unlock()
}

// node is a cluster member the cluster's registry gets or creates; a
// generation sweep removes the stale ones and closes them (go-redis's
// clusterNodes.GC).
type node struct {
	addr   string
	gen    int
	client *QStream
}

// Silent: the registry's sweep removes what expired; Close need not.
func (n *node) Close() error { // want Close:"close p0; close p0\\.client"
	return n.client.Close()
}

type Nodes struct {
	mu    sync.Mutex
	nodes map[string]*node
}

func (c *Nodes) GetOrCreate(addr string, gen int) *node { // want GetOrCreate:"insert r0 into Nodes\\.nodes locked"
	c.mu.Lock()
	defer c.mu.Unlock()
	if n, ok := c.nodes[addr]; ok {
		return n
	}
	n := &node{addr: addr, gen: gen, client: &QStream{done: make(chan struct{})}}
	c.nodes[addr] = n
	return n
}

func (c *Nodes) GC(gen int) { // want GC:"delete _ from Nodes\\.nodes"
	var stale []*node
	c.mu.Lock()
	for addr, n := range c.nodes {
		if n.gen < gen {
			delete(c.nodes, addr)
			stale = append(stale, n)
		}
	}
	c.mu.Unlock()
	for _, n := range stale {
		_ = n.client.Close()
	}
}
