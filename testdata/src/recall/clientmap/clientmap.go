// Package clientmap is the shape of a released bug (a shut-down client
// kept in a package-level registry): a get-or-create constructor returns
// its object through an interface, and the object's Shutdown never takes
// it out of the registry, so the next get returns the dead client.
package clientmap

import "sync"

// Client is what callers get.
type Client interface {
	Start()
	Shutdown()
}

var clients sync.Map

type client struct {
	name string
	done chan struct{}
	once sync.Once
}

func (c *client) id() string { return "client@" + c.name }

// GetOrNew returns the client named name, made on first use.
func GetOrNew(name string) Client { // want GetOrNew:"insert r0 into clients"
	c := &client{name: name, done: make(chan struct{})}
	actual, _ := clients.LoadOrStore(c.id(), c)
	return actual.(*client)
}

func (c *client) Start() {}

func (c *client) Shutdown() { // want Shutdown:"close p0\\.done" `\(\*client\)\.Shutdown leaves the client in clients: GetOrNew registers it there`
	c.once.Do(func() {
		close(c.done)
	})
}

var fixedClients sync.Map

type fixedClient struct {
	name string
	done chan struct{}
	once sync.Once
}

func (c *fixedClient) id() string { return "client@" + c.name }

// GetOrNewFixed is the fixed version: Shutdown removes the client.
func GetOrNewFixed(name string) Client { // want GetOrNewFixed:"insert r0 into fixedClients"
	c := &fixedClient{name: name, done: make(chan struct{})}
	actual, _ := fixedClients.LoadOrStore(c.id(), c)
	return actual.(*fixedClient)
}

func (c *fixedClient) Start() {}

func (c *fixedClient) Shutdown() { // want Shutdown:"delete _ from fixedClients; close p0\\.done after delete _ from fixedClients"
	c.once.Do(func() {
		close(c.done)
		c.remove()
	})
}

func (c *fixedClient) remove() { fixedClients.Delete(c.id()) } // want remove:"delete _ from fixedClients"

// Timer is a stopwatch a group hands out and keeps (prometheus's
// stats.TimerGroup): its Stop ends a phase, and it can start again.
type Timer struct{ start, total int }

func (t *Timer) Start() *Timer { t.start = 1; return t }

// Silent: the timer lives as long as its group.
func (t *Timer) Stop() { t.total += t.start }

var timers = map[string]*Timer{}

func GetTimer(name string) *Timer { // want GetTimer:"insert r0 into timers"
	if t, ok := timers[name]; ok {
		return t
	}
	t := &Timer{}
	timers[name] = t
	return t
}

// Pooled is got or created by name through a plain map: the path that
// creates registers it, whatever the path that finds it returns.
type Pooled struct{ done chan struct{} }

func (p *Pooled) Close() { // want Close:"close p0; close p0\\.done" `\(\*Pooled\)\.Close leaves the object in pooled: GetPooled registers it there`
	close(p.done)
}

var pooled = map[string]*Pooled{}

func GetPooled(name string) *Pooled { // want GetPooled:"insert r0 into pooled"
	if p, ok := pooled[name]; ok {
		return p
	}
	p := &Pooled{done: make(chan struct{})}
	pooled[name] = p
	return p
}
