package silentreg

import (
	"errors"
	"sync"
)

// A server holds a client a clientPool registered and the function that
// releases it, and calls that function on Stop only when it holds a
// client: the path that skips it has nothing registered. Cut down from an
// xDS server and its client clientPool.
type pooledClient struct{ refs int }

func (c *pooledClient) Close() {}

type ClientPool struct {
	mu      sync.Mutex
	clients map[string]*pooledClient
}

func (p *ClientPool) release(name string) { // want release:"delete _ from ClientPool.clients"
	p.mu.Lock()
	c, ok := p.clients[name]
	if !ok {
		p.mu.Unlock()
		return
	}
	c.refs--
	if c.refs != 0 {
		p.mu.Unlock()
		return
	}
	delete(p.clients, name)
	p.mu.Unlock()
	c.Close()
}

func (p *ClientPool) NewClient(name string) (*pooledClient, func(), error) { // want NewClient:"insert r0 into ClientPool.clients locked"
	p.mu.Lock()
	defer p.mu.Unlock()
	if c := p.clients[name]; c != nil {
		c.refs++
		return c, sync.OnceFunc(func() { p.release(name) }), nil
	}
	if name == "" {
		return nil, nil, errors.New("no name")
	}
	c := &pooledClient{refs: 1}
	p.clients[name] = c
	return c, sync.OnceFunc(func() { p.release(name) }), nil
}

type innerServer struct{}

func (i *innerServer) Stop() {}

type PooledServer struct {
	gs     *innerServer
	c      *pooledClient
	closeC func()
}

var clientPool = &ClientPool{clients: map[string]*pooledClient{}}

func NewPooledServer(name string) (*PooledServer, error) { // want NewPooledServer:"insert r0.c into ClientPool.clients locked"
	s := &PooledServer{gs: &innerServer{}}
	c, closeC, err := clientPool.NewClient(name)
	if err != nil {
		return nil, err
	}
	s.c = c
	s.closeC = closeC
	return s, nil
}

func (s *PooledServer) Stop() { // want Stop:"delete p0 from _; close p0; close p0.gs"
	s.gs.Stop()
	if s.c != nil {
		s.closeC()
	}
}
