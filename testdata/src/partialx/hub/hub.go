// Package hub keeps sessions by id and by user. Its Remove takes a session
// out of both: other packages learn that group through facts, and use the
// hub through its exported fields and methods.
package hub

import "sync"

type Session struct {
	ID, User string
	Out      chan []byte
}

func (s *Session) Close() error { close(s.Out); return nil } // want Close:"close p0; close p0\\.Out"

// Hub is the registry of live sessions.
type Hub struct {
	Mu     sync.Mutex
	ByID   map[string]*Session
	ByUser map[string]*Session
}

func New() *Hub { // want New:"delete _ from Hub\\.ByID; delete _ from Hub\\.ByUser"
	return &Hub{ByID: map[string]*Session{}, ByUser: map[string]*Session{}}
}

func (h *Hub) Add(s *Session) { // want Add:"insert p1 into Hub\\.ByID locked; insert p1 into Hub\\.ByUser locked"
	h.Mu.Lock()
	defer h.Mu.Unlock()
	h.ByID[s.ID] = s
	h.ByUser[s.User] = s
}

// Remove is the evidence: the session leaves both indexes.
func (h *Hub) Remove(s *Session) { // want Remove:"delete _ from Hub\\.ByID; delete _ from Hub\\.ByUser"
	h.Mu.Lock()
	defer h.Mu.Unlock()
	delete(h.ByID, s.ID)
	delete(h.ByUser, s.User)
}

// Shutdown removes and closes every session.
func (h *Hub) Shutdown() { // want Shutdown:"delete _ from Hub\\.ByID; delete _ from Hub\\.ByUser"
	h.Mu.Lock()
	defer h.Mu.Unlock()
	for id, s := range h.ByID {
		delete(h.ByID, id)
		delete(h.ByUser, s.User)
		s.Close()
	}
}

// Forget removes the entry under id from ByID only; the caller cleans
// ByUser (silent here: one index, nothing ended).
func (h *Hub) Forget(id string) { // want Forget:"delete _ from Hub\\.ByID"
	h.Mu.Lock()
	defer h.Mu.Unlock()
	delete(h.ByID, id)
}

// Lookup returns the session under id, or nil.
func (h *Hub) Lookup(id string) *Session { // want Lookup:"insert r0 into Hub\\.ByID"
	h.Mu.Lock()
	defer h.Mu.Unlock()
	return h.ByID[id]
}
