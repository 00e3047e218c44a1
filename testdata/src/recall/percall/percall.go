// Package percall holds registrations made by a per-call object: an
// upload makes a publishing context for the call, whose first async
// publish subscribes a reply inbox and keeps the subscription in a
// field; when the upload returns, the context dies and the subscription
// stays registered on the connection. Written by hand after an object
// store's Put that leaked one reply subscription per call.
package percall

import (
	"errors"
	"sync"
)

type Sub struct {
	sid int
	nc  *Conn
}

type Conn struct {
	mu       sync.Mutex
	next     int
	subs     map[int]*Sub
	statuses map[chan int]int
}

func (nc *Conn) Subscribe(subject string) (*Sub, error) { // want Subscribe:"insert r0 into Conn.subs if r0 != nil locked"
	if subject == "" {
		return nil, errors.New("empty subject")
	}
	nc.mu.Lock()
	defer nc.mu.Unlock()
	nc.next++
	s := &Sub{sid: nc.next, nc: nc}
	nc.subs[s.sid] = s
	return s, nil
}

func (s *Sub) Unsubscribe() { // want Unsubscribe:"delete _ from Conn.subs"
	s.nc.mu.Lock()
	delete(s.nc.subs, s.sid)
	s.nc.mu.Unlock()
}

// pubCtx is a publishing context: its reply subscription is made on the
// first async publish.
type pubCtx struct {
	nc    *Conn
	mu    sync.Mutex
	reply *Sub
}

func (nc *Conn) Context() (*pubCtx, error) {
	if nc == nil {
		return nil, errors.New("no connection")
	}
	return &pubCtx{nc: nc}, nil
}

func (p *pubCtx) replySubject() string { // want replySubject:"insert p0.reply into Conn.subs locked"
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.reply == nil {
		sub, err := p.nc.Subscribe("_INBOX.>")
		if err != nil {
			return ""
		}
		p.reply = sub
	}
	return "_INBOX.x"
}

func (p *pubCtx) PublishAsync(data []byte) error { // want PublishAsync:"insert p0.reply into Conn.subs locked"
	if p.replySubject() == "" {
		return errors.New("no reply subject")
	}
	return nil
}

func (p *pubCtx) cleanup() { // want cleanup:"delete _ from Conn.subs"
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.reply != nil {
		p.reply.Unsubscribe()
		p.reply = nil
	}
}

type Store struct{ nc *Conn }

// Put leaks the context's reply subscription on every call.
func (s *Store) Put(chunks [][]byte) error {
	pc, err := s.nc.Context()
	if err != nil {
		return err
	}
	for _, c := range chunks {
		if err := pc.PublishAsync(c); err != nil { // want `pc\.reply, registered in Conn\.subs by pc\.PublishAsync, stays there when \(\*Store\)\.Put returns: pc, made here by s\.nc\.Context, holds the only handle on it`
			return err
		}
	}
	return nil
}

// PutUnwatched makes a watch context by a one-result constructor and
// forgets its status channel.
func (s *Store) PutUnwatched() error {
	w := s.nc.watchContext()
	w.watch() // want `w\.status, registered in Conn\.statuses by w\.watch, stays there when \(\*Store\)\.PutUnwatched returns`
	return nil
}

// A peer made with the shared hub: its session outlives it there.
var sharedHub = newHub()

func sharedPeer() *peer { return &peer{h: sharedHub} }

func loginShared(name string) error {
	p := sharedPeer()
	return p.login(name) // want `p.sess, registered in sessionTable.byName by p.login, stays there`
}

// Publisher is how callers see a publishing context (the client's own
// JetStreamContext interface).
type Publisher interface{ PublishAsync(data []byte) error } // want PublishAsync:"insert p0.reply into Conn.subs locked"

func (nc *Conn) PubContext() (Publisher, error) { // want PubContext:"r0 is \\*recall/percall\\.pubCtx"
	return &pubCtx{nc: nc}, nil
}

// PutIface leaks the reply subscription through the interface: a method
// called through it on the context keeps nothing of the context.
func (s *Store) PutIface(data []byte) error {
	pc, err := s.nc.PubContext()
	if err != nil {
		return err
	}
	return pc.PublishAsync(data) // want `pc\.reply, registered in Conn\.subs by pc\.PublishAsync, stays there when \(\*Store\)\.PutIface returns`
}
