// Package svc uses partialx/hub: two of its removals leave a session in
// one of the hub's indexes while closing it, against the group the hub's
// Remove (and svc's own expel and evict) take it out of.
package svc

import "partialx/hub"

// Service serves a chat room on top of the hub.
type Service struct {
	h *hub.Hub
}

// kick forgets the session through the hub's exported method and closes
// it: it stays in ByUser, closed.
func (sv *Service) kick(id string) { // want kick:"delete _ from Hub\\.ByID"
	s := sv.h.Lookup(id)
	if s == nil {
		return
	}
	sv.h.Forget(s.ID) // want `s removed from Hub\.ByID but left in Hub\.ByUser: (\(\*(hub\.)?Hub\)\.(Remove|Shutdown)|\(\*Service\)\.(expel|evict)) removes it from (all 2|both) \[partial\]`
	s.Close()
}

// drop deletes from the exported field directly and closes: the session
// stays in ByID, closed.
func (sv *Service) drop(s *hub.Session) { // want drop:"delete _ from Hub\\.ByUser; close p1 after delete _ from Hub\\.ByUser; close p1\\.Out after delete _ from Hub\\.ByUser"
	sv.h.Mu.Lock()
	delete(sv.h.ByUser, s.User) // want `s removed from Hub\.ByUser but left in Hub\.ByID: (\(\*(hub\.)?Hub\)\.(Remove|Shutdown)|\(\*Service\)\.(expel|evict)) removes it from (all 2|both) \[partial\]`
	sv.h.Mu.Unlock()
	s.Close()
}

// Silent: both fields, directly, in the other order.
func (sv *Service) expel(s *hub.Session) { // want expel:"delete _ from Hub\\.ByID; delete _ from Hub\\.ByUser; close p1 after delete _ from Hub\\.ByUser, delete _ from Hub\\.ByID; close p1\\.Out after delete _ from Hub\\.ByUser, delete _ from Hub\\.ByID"
	sv.h.Mu.Lock()
	delete(sv.h.ByUser, s.User)
	delete(sv.h.ByID, s.ID)
	sv.h.Mu.Unlock()
	s.Close()
}

// Silent: both, for each session found under the given ids.
func (sv *Service) evict(ids []string) { // want evict:"delete _ from Hub\\.ByID; delete _ from Hub\\.ByUser"
	sv.h.Mu.Lock()
	defer sv.h.Mu.Unlock()
	for _, id := range ids {
		if s, ok := sv.h.ByID[id]; ok {
			delete(sv.h.ByID, id)
			delete(sv.h.ByUser, s.User)
			s.Close()
		}
	}
}

// Silent: both, through the hub's exported remover.
func (sv *Service) leave(s *hub.Session) { // want leave:"delete _ from Hub\\.ByID; delete _ from Hub\\.ByUser; close p1 after delete _ from Hub\\.ByID, delete _ from Hub\\.ByUser; close p1\\.Out after delete _ from Hub\\.ByID, delete _ from Hub\\.ByUser"
	sv.h.Remove(s)
	s.Close()
}

// Silent: the hub's Forget on a session that stays open (it reconnects
// under a new id; ByUser still points at it and is updated by Add).
func (sv *Service) reconnect(s *hub.Session, id string) { // want reconnect:"delete _ from Hub\\.ByID; insert p1 into Hub\\.ByID locked; insert p1 into Hub\\.ByUser locked"
	sv.h.Forget(s.ID)
	s.ID = id
	sv.h.Add(s)
}
