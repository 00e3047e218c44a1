package bulk

import "io"

// shutdown empties the map after the loop: nothing finds them again.
func (s *Session) shutdown() { // want shutdown:"delete _ from Session.streams"
	for _, st := range s.streams {
		st.reset()
	}
	s.streams = make(map[int]*stream)
}

// drain closes each stream by its own close.
func (s *Session) drain() { // want drain:"delete _ from Session.streams"
	for _, st := range s.streams {
		s.closeStream(st)
	}
}

// wipe deletes as it goes.
func (s *Session) wipe() { // want wipe:"delete _ from Session.streams"
	for id, st := range s.streams {
		delete(s.streams, id)
		st.reset()
	}
}

// worker has no per-object close that deletes: its pool's Stop is the
// only end it has.
type worker struct{ rwc io.Closer }

type Pool struct{ workers map[string]*worker }

func (p *Pool) add(name string, w *worker) { p.workers[name] = w } // want add:"insert p2 into Pool.workers"

func (p *Pool) Stop() {
	for _, w := range p.workers {
		w.rwc.Close()
	}
}
