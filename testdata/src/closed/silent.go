package closed

import (
	"net"
	"time"
)

// Close then delete: order does not matter.
func (s *Server) closeThenDelete(id int) { // want closeThenDelete:"delete _ from Server\\.conns"
	c := s.conns[id]
	c.Close()
	delete(s.conns, id)
}

// Delete then close.
func (s *Server) deleteThenClose(id int) { // want deleteThenClose:"delete _ from Server\\.conns"
	c := s.conns[id]
	delete(s.conns, id)
	c.Close()
}

// A deferred delete.
func (s *Server) deferredDelete(c *Conn) { // want deferredDelete:"delete _ from Server\\.conns; close p1 after delete _ from Server\\.conns; close p1\\.nc after delete _ from Server\\.conns"
	s.conns[c.id] = c
	defer delete(s.conns, c.id)
	c.handshake()
	c.Close()
}

// A close whose body unregisters first.
type Sub struct {
	h  *Hub
	id int
}

type Hub struct{ subs map[int]*Sub }

func (sub *Sub) Close() error { // want Close:"delete _ from Hub\\.subs"
	delete(sub.h.subs, sub.id)
	return nil
}

func (h *Hub) subscribe(id int, fail bool) *Sub { // want subscribe:"delete _ from Hub\\.subs if p2 == true; insert r0 into Hub\\.subs if r0 != nil"
	sub := &Sub{h: h, id: id}
	h.subs[id] = sub
	if fail {
		sub.Close()
		return nil
	}
	return sub
}

// Ownership handed to the caller: taken out of the index, then returned.
func (s *Server) take(id int) *Conn { // want take:"delete _ from Server\\.conns"
	c := s.conns[id]
	delete(s.conns, id)
	return c
}

func (s *Server) closeTaken(id int) { s.take(id).Close() } // want closeTaken:"delete _ from Server\\.conns"

// A close and a delete under the same condition.
func (s *Server) maybeClose(id int, done bool) { // want maybeClose:"delete _ from Server\\.conns"
	c := s.conns[id]
	if done {
		c.Close()
	}
	s.handshakeAll()
	if done {
		delete(s.conns, id)
	}
}

func (s *Server) handshakeAll() {}

// The goroutine started for the connection deletes it as it exits, so
// closing it elsewhere is how it is told to stop.
type Tracker struct{ live map[*Conn]bool }

func (t *Tracker) start(c *Conn) { // want start:"delete _ from Tracker\\.live"
	t.live[c] = true
	go t.run(c)
}

func (t *Tracker) run(c *Conn) { // want run:"delete _ from Tracker\\.live"
	defer delete(t.live, c)
	c.handshake()
}

func (t *Tracker) stopAll() {
	for c := range t.live {
		c.Close()
	}
}

// Replaced under the same key after the close.
func (s *Server) rotate(id int, nc net.Conn) { // want rotate:"delete key p1 from Server\\.conns"
	old := s.conns[id]
	old.Close()
	s.conns[id] = &Conn{id: id, nc: nc}
}

// Cleared after the loop.
func (s *Server) closeAllClear() { // want closeAllClear:"delete _ from Server\\.conns"
	for _, c := range s.conns {
		c.Close()
	}
	clear(s.conns)
}

// The map itself is dropped after the loop.
func (s *Server) closeAllDrop() { // want closeAllDrop:"delete _ from Server\\.conns"
	for _, c := range s.conns {
		c.Close()
	}
	s.conns = nil
}

// An index passed in is the caller's to clean up.
func closeAll(m map[int]*Conn) { // want closeAll:"close p0\\[\\]"
	for _, c := range m {
		c.Close()
	}
}

// A reconnect closes the old connection and stores a new one: the Conn
// lives on.
func (c *Conn) redial(nc net.Conn) { // want redial:"close p0\\.nc"
	c.nc.Close()
	c.nc = nc
}

func (s *Server) redialAll(nc net.Conn) {
	for _, c := range s.conns {
		c.redial(nc)
	}
}

// A value map holds copies; a channel sent on is not closed.
var events = map[string]chan int{}

func notify(id string) {
	ch := events[id]
	ch <- 1
}

// A close callback handed to the connection deletes it (netpoll's server).
type PollConn struct{ hooks []func() }

func (c *PollConn) AddCloseCallback(f func()) { c.hooks = append(c.hooks, f) }

func (c *PollConn) Close() error {
	for _, f := range c.hooks {
		f()
	}
	return nil
}

type PollServer struct{ conns map[int]*PollConn }

func (s *PollServer) onAccept(fd int) {
	c := &PollConn{}
	c.AddCloseCallback(func() { delete(s.conns, fd) })
	s.conns[fd] = c
}

func (s *PollServer) closeAll() {
	for _, c := range s.conns {
		c.Close()
	}
}

// A callee that closes only on failure, then a test of the object before
// it is inserted (netpoll's onAccept): the insert comes after the close.
type Lazy struct{ dead bool }

func (l *Lazy) Close() error { l.dead = true; return nil }

func (l *Lazy) IsActive() bool { return !l.dead }

func (l *Lazy) init(fail bool) { // want init:"close p0"
	if fail {
		l.Close()
	}
}

var lazies = map[int]*Lazy{}

func registerLazy(id int, fail bool) { // want registerLazy:"delete key p0 from lazies"
	l := &Lazy{}
	l.init(fail)
	if !l.IsActive() {
		return
	}
	lazies[id] = l
}

// The same, closed through an interface it implements.
type Closer interface{ Close() error }

type AnyServer struct{ conns map[int]Closer }

func (s *AnyServer) onAccept(fd int) {
	c := &PollConn{}
	c.AddCloseCallback(func() { delete(s.conns, fd) })
	s.conns[fd] = c
}

func (s *AnyServer) closeAll() {
	for _, c := range s.conns {
		c.Close()
	}
}

// Close every writer, then delete every key in a second loop (kafka-go's
// Writer.Close): the second loop reads keys only, and deletes them all.
type partition struct{ topic string }

type partWriter struct{ q chan int }

func (w *partWriter) close() { close(w.q) } // want close:"close p0; close p0.q"

type KafkaWriter struct{ writers map[partition]*partWriter }

func (w *KafkaWriter) Close() error { // want Close:"delete _ from KafkaWriter.writers"
	for _, pw := range w.writers {
		pw.close()
	}
	for p := range w.writers {
		delete(w.writers, p)
	}
	return nil
}

// Shut down and delete each in one loop, then read the map again in
// another (grpclb's remote balancer): the second loop reads other
// instances than the ones closed.
type SubConn struct{}

func (sc *SubConn) Shutdown() {}

type Balancer struct{ subConns map[string]*SubConn }

func (lb *Balancer) reset(pickFirst bool) { // want reset:"delete _ from Balancer.subConns"
	for a, sc := range lb.subConns {
		sc.Shutdown()
		delete(lb.subConns, a)
	}
	if pickFirst {
		for _, sc := range lb.subConns {
			_ = sc
			break
		}
	}
}

// A listener unregisters itself in Stop through the cleanup its Register
// returned (orca's OOB listeners).
type Listener struct{ cleanup func() }

func (l *Listener) Stop() { l.cleanup() } // want Stop:"delete p0 from _"

var listeners = map[*Listener]bool{}

func Register(l *Listener) func() { // want Register:"insert p0 into listeners"
	listeners[l] = true
	return func() { delete(listeners, l) }
}

func useListener() {
	l := &Listener{}
	l.cleanup = Register(l)
	l.Stop()
}

// A counter of the map's own owner is no identity of the owner (badger's
// key registry: kr.dataKeys[kr.nextKeyID] = dk).
type DataKey struct{ id uint64 }

type KeyRegistry struct {
	nextKeyID uint64
	dataKeys  map[uint64]*DataKey
}

func (kr *KeyRegistry) Close() error { return nil }

func (kr *KeyRegistry) newKey() { // want newKey:"delete key p0.nextKeyID from KeyRegistry.dataKeys"
	kr.nextKeyID++
	kr.dataKeys[kr.nextKeyID] = &DataKey{id: kr.nextKeyID}
}

func useRegistry(kr *KeyRegistry) { // want useRegistry:"close p0"
	kr.newKey()
	kr.Close()
}

// The delete is guarded by the lookup's ok: where it fails, nothing is
// under that key (fasthttp's serveConn).
type Idle struct{ t int64 }

type HTTPLike struct{ idle map[net.Conn]*Idle }

func (s *HTTPLike) serveConn(c net.Conn) { // want serveConn:"delete _ from HTTPLike.idle"
	s.idle[c] = &Idle{}
	c.Read(nil)
	if _, ok := s.idle[c]; ok {
		delete(s.idle, c)
	}
}

func (s *HTTPLike) serve(c net.Conn) { // want serve:"delete _ from HTTPLike.idle; close p1 after delete _ from HTTPLike.idle"
	s.serveConn(c)
	c.Close()
}

// A goroutine started through a helper runs a closure that deletes the
// node as it exits (nats-server's raft nodes).
type RaftNode struct {
	s     *Cluster
	group string
	quit  chan struct{}
}

func (n *RaftNode) Stop() { close(n.quit) } // want Stop:"close p0; close p0.quit"

func (n *RaftNode) run() { // want run:"delete _ from Cluster.nodes"
	<-n.quit
	n.s.unregister(n.group)
}

type Cluster struct{ nodes map[string]*RaftNode }

func (s *Cluster) unregister(group string) { delete(s.nodes, group) } // want unregister:"delete _ from Cluster.nodes"

func (s *Cluster) startGoRoutine(f func()) { go f() }

func (s *Cluster) startNode(group string) { // want startNode:"delete key p1 from Cluster.nodes"
	n := &RaftNode{s: s, group: group, quit: make(chan struct{})}
	s.nodes[group] = n
	s.startGoRoutine(func() { n.run() })
}

func (s *Cluster) shutdownNodes() {
	for _, n := range s.nodes {
		n.Stop()
	}
}

// Stop() bool says whether it stopped the timer: when it did not, the
// timer had fired and its function removes the entry (nats-server's
// source retries).
type Sched struct{ timers map[string]*time.Timer }

func (m *Sched) retry(name string) bool { // want retry:"delete _ from Sched.timers"
	if t, ok := m.timers[name]; ok {
		if !t.Stop() {
			return false
		}
		delete(m.timers, name)
	}
	return true
}

// A stream clears itself from its connection through an interface
// back-pointer that only the connection implements (quic-go's http3
// state-tracking streams).
type clearer interface{ clearStream(id int) } // want clearStream:"delete _ from RawConn.streams"

type TrackedStream struct {
	id int
	c  clearer
}

func (s *TrackedStream) Close() error { // want Close:"delete _ from RawConn.streams"
	s.c.clearStream(s.id)
	return nil
}

type RawConn struct{ streams map[int]*TrackedStream }

func (c *RawConn) clearStream(id int) { delete(c.streams, id) } // want clearStream:"delete _ from RawConn.streams"

func (c *RawConn) track(id int) *TrackedStream { // want track:"insert r0 into RawConn.streams"
	s := &TrackedStream{id: id, c: c}
	c.streams[id] = s
	return s
}

func (c *RawConn) handle(id int) { // want handle:"delete _ from RawConn.streams"
	s := c.track(id)
	s.Close()
}

// A stopwatch's Stop ends a measurement, not the stopwatch (prometheus's
// query timers, kept in their group for the report).
type Stopwatch struct{ start, total int64 }

func (w *Stopwatch) Start() *Stopwatch { w.start = 1; return w }

func (w *Stopwatch) Stop() { w.total += 1 - w.start }

type TimerGroup struct{ timers map[string]*Stopwatch }

func (g *TimerGroup) measure(name string) { // want measure:"delete key p1 from TimerGroup.timers"
	w := &Stopwatch{}
	g.timers[name] = w
	w.Start()
	w.Stop()
}

// A pipeline stopped by Pause and started again by Resume lives on
// (etcd's rafthttp remotes).
type pipeline struct{ stopc chan struct{} }

func (p *pipeline) stop() { close(p.stopc) } // want stop:"close p0.stopc"

func (p *pipeline) start() { p.stopc = make(chan struct{}) }

type remote struct{ pipeline *pipeline }

func (g *remote) stop() { g.pipeline.stop() }

func (g *remote) Pause() { g.stop() }

func (g *remote) Resume() { g.pipeline.start() }

type Transport struct{ remotes map[string]*remote }

func (t *Transport) CutPeer(id string) {
	if g, ok := t.remotes[id]; ok {
		g.Pause()
	}
}

// The node's goroutine is started through a helper with a method value,
// and unregisters the node as it exits.
type ValueNode struct {
	s    *Pool
	id   string
	quit chan struct{}
}

func (n *ValueNode) Stop() { close(n.quit) } // want Stop:"close p0; close p0.quit"

func (n *ValueNode) run() { // want run:"delete _ from Pool.nodes"
	<-n.quit
	delete(n.s.nodes, n.id)
}

type Pool struct{ nodes map[string]*ValueNode }

func (s *Pool) startGoRoutine(f func()) { go f() }

func (s *Pool) start(id string) { // want start:"delete key p1 from Pool.nodes"
	n := &ValueNode{s: s, id: id, quit: make(chan struct{})}
	s.nodes[id] = n
	s.startGoRoutine(n.run)
}

func (s *Pool) stopAll() {
	for _, n := range s.nodes {
		n.Stop()
	}
}

// Two anonymous structs, each a mutex and a map m, are two indexes
// (go-libp2p's swarm: conns and directConnNotifs).
type SwarmConn struct{ id int }

type Swarm struct {
	conns struct {
		m map[string][]*SwarmConn
	}
	notifs struct {
		m map[string][]chan struct{}
	}
}

func (s *Swarm) addConn(p string) *SwarmConn { // want addConn:"delete _ from notifs.m; insert r0 into conns.m"
	c := &SwarmConn{}
	s.conns.m[p] = append(s.conns.m[p], c)
	for _, ch := range s.notifs.m[p] {
		close(ch)
	}
	delete(s.notifs.m, p)
	return c
}

// A state hook the server installs removes each connection when it
// reports it closed (net/http/httptest's Server.conns).
type TestServer struct {
	conns map[net.Conn]int
	hook  func(net.Conn, int)
}

func (s *TestServer) wrap() {
	s.hook = func(c net.Conn, st int) {
		if st == 0 {
			s.conns[c] = st
		} else {
			delete(s.conns, c)
		}
	}
}

func (s *TestServer) Close() {
	for c := range s.conns {
		c.Close()
	}
}

// A goroutine started with a literal closes a captured node whose own
// goroutine unregisters it (nats-server's raft tests).
func (s *Pool) stopLater(id string) {
	n := s.nodes[id]
	go func() { n.Stop() }()
}
