// Package unregister holds types whose constructor registers the new
// object (or an object it owns) in an index that outlives it, and whose
// Close, Stop or Shutdown should take it out again.
package unregister

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// A package-level connection registry.
var (
	connsMu sync.Mutex
	conns   = map[string]*Conn{}
)

type Conn struct {
	name string
	nc   net.Conn
}

func NewConn(name string, nc net.Conn) *Conn { // want NewConn:"insert r0 into conns locked"
	c := &Conn{name: name, nc: nc}
	connsMu.Lock()
	conns[name] = c
	connsMu.Unlock()
	return c
}

// Close closes the network connection and leaves c registered: a lookup
// by name finds a dead connection.
func (c *Conn) Close() error { // want Close:"close p0; close p0\\.nc" `\(\*Conn\)\.Close leaves c in conns: NewConn registers it there and Close does not remove it \[unregister\]`
	return c.nc.Close()
}

// Tickers registered in a sync.Map, found by id by a debug endpoint.
var (
	tickers    sync.Map // uint64 → *Ticker
	nextTicker atomic.Uint64
)

type Ticker struct {
	id   uint64
	C    chan time.Time
	stop chan struct{}
}

func NewTicker(d time.Duration) *Ticker { // want NewTicker:"insert r0 into tickers"
	t := &Ticker{id: nextTicker.Add(1), C: make(chan time.Time, 1), stop: make(chan struct{})}
	tickers.Store(t.id, t)
	go t.run(d)
	return t
}

func (t *Ticker) run(d time.Duration) {
	for {
		time.Sleep(d)
		select {
		case <-t.stop:
			return
		case t.C <- time.Now():
		default:
		}
	}
}

// Stop ends the goroutine and leaves t in tickers.
func (t *Ticker) Stop() { // want Stop:"close p0; close p0\\.stop" `\(\*Ticker\)\.Stop leaves t in tickers: NewTicker registers it there and Stop does not remove it \[unregister\]`
	close(t.stop)
}

// A metric registry passed to the constructor.
type Registry struct {
	mu         sync.Mutex
	collectors map[string]*Collector
}

type Collector struct {
	reg  *Registry
	name string
	stop chan struct{}
}

func (c *Collector) flush() error { return nil }

func NewCollector(reg *Registry, name string) *Collector { // want NewCollector:"insert r0 into Registry\\.collectors locked"
	c := &Collector{reg: reg, name: name, stop: make(chan struct{})}
	reg.mu.Lock()
	reg.collectors[name] = c
	reg.mu.Unlock()
	return c
}

// Shutdown unregisters the collector, but only when the last flush
// succeeds: the failing return leaves it registered.
func (c *Collector) Shutdown() error { // want Shutdown:"delete _ from Registry\\.collectors; close p0; close p0 after delete _ from Registry\\.collectors; close p0\\.stop; close p0\\.stop after delete _ from Registry\\.collectors" `\(\*Collector\)\.Shutdown leaves c in Registry\.collectors: NewCollector registers it there and Shutdown returns without removing it on some path \[unregister\]`
	close(c.stop)
	if err := c.flush(); err != nil {
		return fmt.Errorf("flush %s: %w", c.name, err)
	}
	c.reg.mu.Lock()
	delete(c.reg.collectors, c.name)
	c.reg.mu.Unlock()
	return nil
}

// A bus passed to the constructor; the server owns its subscription.
type Bus struct {
	subs map[*Subscription]string // subscription → topic
}

type Subscription struct {
	topic string
	ch    chan []byte
}

type Server struct {
	bus *Bus
	sub *Subscription
	ln  net.Listener
}

func NewServer(bus *Bus, ln net.Listener, topic string) (*Server, error) { // want NewServer:"insert r0\\.sub into Bus\\.subs if r0 != nil"
	if topic == "" {
		return nil, errors.New("no config topic")
	}
	s := &Server{bus: bus, ln: ln, sub: &Subscription{topic: topic, ch: make(chan []byte, 8)}}
	bus.subs[s.sub] = s.sub.topic
	return s, nil
}

// Close stops listening and leaves the subscription on the bus, which
// keeps sending config updates to it.
func (s *Server) Close() error { // want Close:"close p0; close p0\\.ln" `\(\*Server\)\.Close leaves s\.sub in Bus\.subs: NewServer registers it there and Close does not remove it \[unregister\]`
	return s.ln.Close()
}

// Silent: Close deletes the session.
var sessions = map[string]*Session{}

type Session struct {
	id  string
	out chan []byte
}

func NewSession(id string) *Session { // want NewSession:"insert r0 into sessions"
	s := &Session{id: id, out: make(chan []byte, 16)}
	sessions[id] = s
	return s
}

func (s *Session) Close() error { // want Close:"delete _ from sessions; close p0 after delete _ from sessions; close p0\\.out after delete _ from sessions"
	delete(sessions, s.id)
	close(s.out)
	return nil
}

// Silent: Close deletes the route through the router's helper.
type Router struct {
	routes map[string]*Route
}

func (r *Router) unregister(rt *Route) { delete(r.routes, rt.path) } // want unregister:"delete _ from Router\\.routes"

type Route struct {
	r    *Router
	path string
}

func NewRoute(r *Router, path string) *Route { // want NewRoute:"insert r0 into Router\\.routes"
	rt := &Route{r: r, path: path}
	r.routes[path] = rt
	return rt
}

func (rt *Route) Close() error { // want Close:"delete _ from Router\\.routes"
	rt.r.unregister(rt)
	return nil
}

// Silent: a counter has no close method; it stays registered for the
// life of the process.
var counters = map[string]*Counter{}

type Counter struct {
	name string
	n    atomic.Int64
}

func NewCounter(name string) *Counter { // want NewCounter:"insert r0 into counters"
	c := &Counter{name: name}
	counters[name] = c
	return c
}

func (c *Counter) Inc() { c.n.Add(1) }

// Silent: the constructor dedupes the pool's workers in a local map, which
// does not outlive the call.
type worker struct{ name string }

type Pool struct {
	workers []*worker
	quit    chan struct{}
}

func NewPool(names []string) *Pool {
	p := &Pool{quit: make(chan struct{})}
	byName := map[string]*worker{}
	for _, n := range names {
		if byName[n] != nil {
			continue
		}
		w := &worker{name: n}
		byName[n] = w
		p.workers = append(p.workers, w)
	}
	return p
}

func (p *Pool) Close() error { close(p.quit); return nil } // want Close:"close p0; close p0\\.quit"

// Silent: Close deletes the listener on every path, the early error
// return included.
var (
	listenersMu sync.Mutex
	listeners   = map[string]*Listener{}
)

type Listener struct {
	addr string
	ln   net.Listener
}

func NewListener(addr string, ln net.Listener) *Listener { // want NewListener:"insert r0 into listeners locked"
	l := &Listener{addr: addr, ln: ln}
	listenersMu.Lock()
	listeners[addr] = l
	listenersMu.Unlock()
	return l
}

var errNotListening = errors.New("not listening")

func (l *Listener) Close() error { // want Close:"delete _ from listeners; close p0 after delete _ from listeners; close p0\\.ln after delete _ from listeners"
	listenersMu.Lock()
	defer listenersMu.Unlock()
	if l.ln == nil {
		delete(listeners, l.addr)
		return errNotListening
	}
	err := l.ln.Close()
	delete(listeners, l.addr)
	return err
}

// Silent: Stop removes the worker by its key.
var (
	workersMu sync.Mutex
	workers   = map[string]*Worker{}
)

type Worker struct {
	name string
	quit chan struct{}
}

func StartWorker(name string) *Worker { // want StartWorker:"insert r0 into workers locked"
	w := &Worker{name: name, quit: make(chan struct{})}
	workersMu.Lock()
	workers[name] = w
	workersMu.Unlock()
	go w.loop()
	return w
}

func (w *Worker) loop() { <-w.quit }

func (w *Worker) Stop() { // want Stop:"delete _ from workers; close p0 after delete _ from workers; close p0\\.quit after delete _ from workers"
	workersMu.Lock()
	delete(workers, w.name)
	workersMu.Unlock()
	close(w.quit)
}

// Channel is registered in a package-level table by its constructor and
// removed by Close (grpc's ClientConn and channelz). Close first stops an
// idleness manager, then returns early when a previous Close already
// tore the conns down: that return is the second call of an idempotent
// close, not a path that forgets.
type Channel struct {
	id    int
	idle  *Ticker
	conns map[int]bool
}

var channels = map[int]*Channel{}

var errClosing = errors.New("closing")

func NewChannel(id int) *Channel { // want NewChannel:"insert r0 into channels"
	ch := &Channel{id: id, conns: map[int]bool{}}
	channels[id] = ch
	return ch
}

// Silent.
func (ch *Channel) Close() error { // want Close:"delete _ from Channel\\.conns; delete _ from channels; close p0; "
	ch.idle.Stop()
	if ch.conns == nil {
		return errClosing
	}
	ch.conns = nil
	delete(channels, ch.id)
	return nil
}

// Flusher is registered by its constructor; Stop unregisters it only when
// the final flush succeeds, and both paths meet at one return.
type Flusher struct {
	name string
	quit chan struct{}
}

var flushers = map[string]*Flusher{}

func (w *Flusher) flush() error { return nil }

func NewFlusher(name string) *Flusher { // want NewFlusher:"insert r0 into flushers"
	w := &Flusher{name: name, quit: make(chan struct{})}
	flushers[name] = w
	return w
}

func (w *Flusher) Stop() { // want Stop:"delete _ from flushers; close p0 after delete _ from flushers" `\(\*Flusher\)\.Stop leaves w in flushers: NewFlusher registers it there and Stop returns without removing it on some path \[unregister\]`
	close(w.quit)
	if err := w.flush(); err == nil {
		delete(flushers, w.name)
	}
}
