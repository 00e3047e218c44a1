// Package partial holds removals that take an object out of some of a
// group of indexes and leave it in the rest. A group is learned from a
// function that removes one object (or key) from several indexes together.
package partial

import (
	"sync"
	"time"
)

type Session struct {
	id       string
	user     string
	lastSeen time.Time
	out      chan []byte
}

func (s *Session) Close() error { close(s.out); return nil } // want Close:"close p0; close p0\\.out"

func (s *Session) send(msg string) { s.out <- []byte(msg) }

// Hub is a subscription hub: each session is kept three ways.
type Hub struct {
	mu       sync.Mutex
	byID     map[string]*Session
	byUser   map[string]*Session
	sessions map[*Session]struct{}
}

func (h *Hub) add(s *Session) { // want add:"insert p1 into Hub\\.byID locked; insert p1 into Hub\\.byUser locked; insert p1 into Hub\\.sessions locked"
	h.mu.Lock()
	defer h.mu.Unlock()
	h.byID[s.id] = s
	h.byUser[s.user] = s
	h.sessions[s] = struct{}{}
}

// remove is the evidence: it takes the session out of all three.
func (h *Hub) remove(s *Session) { // want remove:"delete _ from Hub\\.byID; delete _ from Hub\\.byUser; delete _ from Hub\\.sessions"
	delete(h.byID, s.id)
	delete(h.byUser, s.user)
	delete(h.sessions, s)
}

// Silent: all three, in another order, for each stale session.
func (h *Hub) expire(deadline time.Time) { // want expire:"delete _ from Hub\\.byID; delete _ from Hub\\.byUser; delete _ from Hub\\.sessions"
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.sessions {
		if s.lastSeen.Before(deadline) {
			delete(h.sessions, s)
			delete(h.byUser, s.user)
			delete(h.byID, s.id)
			s.Close()
		}
	}
}

// Silent: all three, the session found by the user's key.
func (h *Hub) ban(user string) { // want ban:"delete _ from Hub\\.byID; delete _ from Hub\\.byUser; delete _ from Hub\\.sessions"
	h.mu.Lock()
	defer h.mu.Unlock()
	s, ok := h.byUser[user]
	if !ok {
		return
	}
	delete(h.byUser, user)
	delete(h.byID, s.id)
	delete(h.sessions, s)
	s.Close()
}

// Silent: all three, for every session.
func (h *Hub) Shutdown() { // want Shutdown:"delete _ from Hub\\.byID; delete _ from Hub\\.byUser; delete _ from Hub\\.sessions"
	h.mu.Lock()
	defer h.mu.Unlock()
	for id, s := range h.byID {
		delete(h.byID, id)
		delete(h.byUser, s.user)
		delete(h.sessions, s)
		s.Close()
	}
}

// Silent: all three through the helper.
func (h *Hub) disconnect(s *Session) { // want disconnect:"delete _ from Hub\\.byID; delete _ from Hub\\.byUser; delete _ from Hub\\.sessions; close p1 after delete _ from Hub\\.byID, delete _ from Hub\\.byUser, delete _ from Hub\\.sessions; close p1\\.out after delete _ from Hub\\.byID, delete _ from Hub\\.byUser, delete _ from Hub\\.sessions"
	h.mu.Lock()
	h.remove(s)
	h.mu.Unlock()
	s.Close()
}

// kick closes the session and leaves it in sessions: a broadcast over
// sessions still sends to its closed channel.
func (h *Hub) kick(id string) { // want kick:"delete _ from Hub\\.byID; delete _ from Hub\\.byUser"
	h.mu.Lock()
	defer h.mu.Unlock()
	s, ok := h.byID[id]
	if !ok {
		return
	}
	delete(h.byID, s.id) // want `s removed from Hub\.byID and Hub\.byUser but left in Hub\.sessions: \(\*Hub\)\.(remove|expire|ban|Shutdown) removes it from all 3 \[partial\]`
	delete(h.byUser, s.user)
	s.Close()
}

// logout removes the session from two of the three and leaves it under
// its user: a lookup by user still finds the logged-out session.
func (h *Hub) logout(s *Session) { // want logout:"delete _ from Hub\\.byID; delete _ from Hub\\.sessions"
	h.mu.Lock()
	delete(h.byID, s.id) // want `s removed from Hub\.byID and Hub\.sessions but left in Hub\.byUser: \(\*Hub\)\.(remove|expire|ban|Shutdown) removes it from all 3 \[partial\]`
	delete(h.sessions, s)
	h.mu.Unlock()
	s.send("bye")
}

// Silent: a rename moves the session to its new user key; it removes it
// from one index only and does not end it.
func (h *Hub) rename(s *Session, user string) { // want rename:"delete _ from Hub\\.byUser; insert p1 into Hub\\.byUser locked"
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.byUser, s.user)
	s.user = user
	h.byUser[user] = s
}

type Plugin struct {
	name, path string
	quit       chan struct{}
}

func (p *Plugin) Stop() { close(p.quit) } // want Stop:"close p0; close p0\\.quit"

// Plugins are kept by name and by path in package-level maps.
var (
	pluginsByName = map[string]*Plugin{}
	pluginsByPath = map[string]*Plugin{}
)

func load(p *Plugin) { // want load:"insert p0 into pluginsByName; insert p0 into pluginsByPath"
	pluginsByName[p.name] = p
	pluginsByPath[p.path] = p
}

// unload is the evidence for the plugin group.
func unload(p *Plugin) { // want unload:"delete _ from pluginsByName; delete _ from pluginsByPath; close p0 after delete _ from pluginsByName, delete _ from pluginsByPath; close p0\\.quit after delete _ from pluginsByName, delete _ from pluginsByPath"
	delete(pluginsByName, p.name)
	delete(pluginsByPath, p.path)
	p.Stop()
}

// disable stops the plugin and leaves it under its path.
func disable(p *Plugin) { // want disable:"delete _ from pluginsByName; close p0 after delete _ from pluginsByName; close p0\\.quit after delete _ from pluginsByName"
	delete(pluginsByName, p.name) // want `p removed from pluginsByName but left in pluginsByPath: unload removes it from (all 2|both) \[partial\]`
	p.Stop()
}

// Tunnel is dialled, then active.
type Tunnel struct {
	id, addr string
	done     chan struct{}
}

func (t *Tunnel) Close() error { close(t.done); return nil } // want Close:"close p0; close p0\\.done"

type Manager struct {
	pending map[string]*Tunnel // waiting for the dial, by id
	dialing map[string]*Tunnel // the dial in flight, by address
	active  map[string]*Tunnel // established, by id
}

// drop is the evidence for the tunnel group.
func (m *Manager) drop(t *Tunnel) { // want drop:"delete _ from Manager\\.active; delete _ from Manager\\.dialing; delete _ from Manager\\.pending; close p1 after delete _ from Manager\\.pending, delete _ from Manager\\.dialing, delete _ from Manager\\.active; close p1\\.done after delete _ from Manager\\.pending, delete _ from Manager\\.dialing, delete _ from Manager\\.active"
	delete(m.pending, t.id)
	delete(m.dialing, t.addr)
	delete(m.active, t.id)
	t.Close()
}

// Silent: a move. The tunnel leaves pending and dialing and is put into
// active on the same path: it is not left there, it goes there.
func (m *Manager) activate(t *Tunnel) { // want activate:"delete _ from Manager\\.dialing; delete _ from Manager\\.pending; insert p1 into Manager\\.active"
	delete(m.pending, t.id)
	delete(m.dialing, t.addr)
	m.active[t.id] = t
}

// Stream is one request on a multiplexed connection.
type Stream struct {
	id   uint64
	data chan []byte
}

func (st *Stream) Close() error { close(st.data); return nil } // want Close:"close p0; close p0\\.data"

type Mux struct {
	streams  map[uint64]*Stream
	inflight map[uint64]struct{} // the streams awaiting a response, key only
}

// closeStream is the evidence for the stream group.
func (m *Mux) closeStream(st *Stream) { // want closeStream:"delete _ from Mux\\.inflight; delete _ from Mux\\.streams; close p1 after delete _ from Mux\\.streams, delete _ from Mux\\.inflight; close p1\\.data after delete _ from Mux\\.streams, delete _ from Mux\\.inflight"
	delete(m.streams, st.id)
	delete(m.inflight, st.id)
	st.Close()
}

// Silent: the response arrived; the stream is no longer in flight but
// stays open in streams for the next request.
func (m *Mux) onResponse(st *Stream, body []byte) { // want onResponse:"delete _ from Mux\\.inflight"
	delete(m.inflight, st.id)
	st.data <- body
}

// pconn is a pooled connection.
type pconn struct {
	key    string
	closed bool
}

func (pc *pconn) Close() error { pc.closed = true; return nil }

// Pool keeps every connection in all, and the idle ones in idle too.
type Pool struct {
	all  map[*pconn]bool
	idle map[string]*pconn
}

// removeConn takes a connection out of both.
func (p *Pool) removeConn(pc *pconn) { // want removeConn:"delete _ from Pool\\.all; delete _ from Pool\\.idle; close p1 after delete _ from Pool\\.all, delete _ from Pool\\.idle"
	delete(p.all, pc)
	delete(p.idle, pc.key)
	pc.Close()
}

// Silent, the three below: most functions remove a connection from one
// of the two (the janitor sweeps all), so the group of removeConn is no
// rule. closeIdle closes the idle connections and leaves them in all.
func (p *Pool) closeIdle() { // want closeIdle:"delete _ from Pool\\.idle"
	for key, pc := range p.idle {
		delete(p.idle, key)
		pc.Close()
	}
}

// takeIdle hands an idle connection to the caller.
func (p *Pool) takeIdle(key string) *pconn { // want takeIdle:"delete _ from Pool\\.idle"
	pc := p.idle[key]
	delete(p.idle, key)
	return pc
}

// sweep is the janitor: it drops the closed connections from all.
func (p *Pool) sweep() { // want sweep:"delete _ from Pool\\.all"
	for pc := range p.all {
		if pc.closed {
			delete(p.all, pc)
		}
	}
}
