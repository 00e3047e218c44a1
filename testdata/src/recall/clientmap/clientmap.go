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
