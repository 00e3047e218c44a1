package faj

import "net"

type Mux struct{ listeners map[net.Listener]int }

func (m *Mux) Add(l net.Listener) (int, int) { m.listeners[l] = 1; return 1, 2 } // want Add:"insert p1 into Mux.listeners"

type Engine struct {
	mode      int
	mux       *Mux
	listeners []net.Listener
}

func (e *Engine) listen(l net.Listener, f func()) {}

func (e *Engine) start(tls, plain []string) error { // want start:"delete _ from Group.m; delete _ from cancelCtx.children; delete _ from dedup.m"
	for _, a := range tls {
		ln, err := net.Listen("tcp", a)
		if err != nil {
			for _, l := range e.listeners {
				_ = l.Close()
			}
			return err
		}
		switch e.mode {
		case 0:
			e.mux.Add(ln)
		case 1:
			e.listeners = append(e.listeners, ln)
		case 2:
			e.listeners = append(e.listeners, ln)
		}
	}
	for _, a := range plain {
		ln, err := net.Listen("tcp", a)
		if err != nil {
			for _, l := range e.listeners {
				_ = l.Close()
			}
			return err
		}
		switch e.mode {
		case 0:
			e.mux.Add(ln)
		case 1:
			e.listeners = append(e.listeners, ln)
		case 2:
			e.listeners = append(e.listeners, ln)
		}
	}
	return nil
}

// startBoth puts each listener in the mux and in the slice: closing the
// slice's listeners closes the ones the mux holds.
func (e *Engine) startBoth(addrs []string, dry bool) error { // want startBoth:"delete _ from Group.m; delete _ from cancelCtx.children; delete _ from dedup.m"
	for _, a := range addrs {
		ln, err := net.Listen("tcp", a)
		if err != nil {
			return err
		}
		e.mux.Add(ln)
		e.listeners = append(e.listeners, ln)
	}
	if dry {
		for _, l := range e.listeners {
			_ = l.Close() // want `l closed by l\.Close while still in index Mux\.listeners`
		}
	}
	return nil
}
