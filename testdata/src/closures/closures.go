package closures

import "sync"

type Sess struct{ id string }

var (
	sessions = map[string]*Sess{}
	pool     sync.Pool
)

func deferredClosureBug(id string) { // want deferredClosureBug:"delete key p0 from sessions"
	s := &Sess{id: id}
	defer func() { // want `s freed by a func literal while still in index sessions`
		pool.Put(s)
	}()
	sessions[id] = s
}

func deferredClosureOK(id string) { // want deferredClosureOK:"delete _ from sessions"
	s := &Sess{id: id}
	defer func() {
		delete(sessions, id)
		pool.Put(s)
	}()
	sessions[id] = s
}

func closureCallBug(id string) { // want closureCallBug:"delete key p0 from sessions"
	s := &Sess{id: id}
	release := func() { pool.Put(s) }
	sessions[id] = s
	release() // want `freed by release while still in index sessions`
}

type Reg struct {
	m    map[string]*Sess
	pool sync.Pool
}

func (r *Reg) add(s *Sess)     { r.m[s.id] = s } // want add:"insert p1 into Reg\\.m"
func (r *Reg) release(s *Sess) { r.pool.Put(s) } // want release:"free p1"

func methodValueBug(r *Reg, s *Sess) { // want methodValueBug:"free p1"
	add := r.add
	add(s)
	rel := r.release
	rel(s) // want `s freed by rel while still in index Reg.m`
}

func loopBug(ids []string) {
	var all []*Sess
	for _, id := range ids {
		s := &Sess{id: id}
		sessions[id] = s
		all = append(all, s)
	}
	for _, s := range all {
		pool.Put(s) // want `s freed by pool.Put while still in index sessions`
	}
}

func loopOK(ids []string) { // want loopOK:"delete _ from sessions"
	var all []*Sess
	for _, id := range ids {
		s := &Sess{id: id}
		sessions[id] = s
		all = append(all, s)
	}
	for _, s := range all {
		delete(sessions, s.id)
		pool.Put(s)
	}
}

func panicPath(id string) { // want panicPath:"delete _ from sessions"
	s := &Sess{id: id}
	defer pool.Put(s) // want `s freed by pool.Put while still in index sessions`
	sessions[id] = s
	if id == "" {
		panic("empty id")
	}
	delete(sessions, id)
}
