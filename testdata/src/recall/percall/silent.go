package percall

// PutClean cleans the context up before it returns.
func (s *Store) PutClean(chunks [][]byte) error { // want PutClean:"delete _ from Conn.subs"
	pc, err := s.nc.Context()
	if err != nil {
		return err
	}
	defer pc.cleanup()
	for _, c := range chunks {
		if err := pc.PublishAsync(c); err != nil {
			return err
		}
	}
	return nil
}

// Publisher hands its context out: whoever holds it cleans up.
func (s *Store) Publisher() (*pubCtx, error) {
	pc, err := s.nc.Context()
	if err != nil {
		return nil, err
	}
	if err := pc.PublishAsync(nil); err != nil {
		return nil, err
	}
	return pc, nil
}

// Shared keeps one context for the store's life.
type Shared struct {
	nc *Conn
	pc *pubCtx
}

func (s *Shared) ctx() *pubCtx { return s.pc }

func (s *Shared) Put(data []byte) error {
	return s.ctx().PublishAsync(data)
}

// Keep stores its context in the store.
func (s *Shared) Keep() error {
	pc, err := s.nc.Context()
	if err != nil {
		return err
	}
	s.pc = pc
	return pc.PublishAsync(nil)
}

// A worker made here with the account it serves: registering that
// account is the giver's business, who holds it too.
type account struct{ name string }

type registry struct{ accounts map[string]*account }

type worker struct {
	acc *account
	reg *registry
}

func (w *worker) join() { w.reg.accounts[w.acc.name] = w.acc } // want join:"insert p0.acc into registry.accounts"

func serveOnce(reg *registry, acc *account) { // want serveOnce:"insert p1 into registry.accounts"
	w := &worker{acc: acc, reg: reg}
	w.join()
}

// A copy of a shared worker: what it registers came with the copy.
var sharedWorker = &worker{}

func pick() *worker { return sharedWorker }

func serveCopy() error {
	w := *pick()
	w.join()
	return nil
}

// A status channel the context registers and its cleanup closes: the
// connection drops closed channels as it notifies.
type watchCtx struct {
	nc     *Conn
	status chan int
}

func (nc *Conn) watchContext() *watchCtx { return &watchCtx{nc: nc} }

func (nc *Conn) StatusChanged() chan int { // want StatusChanged:"insert r0 into Conn.statuses locked"
	ch := make(chan int, 1)
	nc.mu.Lock()
	nc.statuses[ch] = 0
	nc.mu.Unlock()
	return ch
}

// notify drops the closed channels it meets.
func (nc *Conn) notify(s int) { // want notify:"delete _ from Conn.statuses"
	for ch := range nc.statuses {
		select {
		case <-ch:
			delete(nc.statuses, ch)
			continue
		default:
		}
		select {
		case ch <- s:
		default:
		}
	}
}

func (w *watchCtx) watch() { // want watch:"insert p0.status into Conn.statuses locked"
	if w.status == nil {
		w.status = w.nc.StatusChanged()
	}
}

func (w *watchCtx) cleanup() { // want cleanup:"close p0.status"
	if w.status != nil {
		close(w.status)
		w.status = nil
	}
}

func (s *Store) PutWatched() {
	w := s.nc.watchContext()
	defer w.cleanup()
	w.watch()
}

// A peer made with its own hub (a test's dummy client built with a
// server of its own): the sessions it logs in stay in that hub's table,
// which dies with the peer.
type session struct{ name string }

type sessionTable struct{ byName map[string]*session }

type hub struct{ sessions holder[sessionTable] }

// holder holds a pointer its fields do not name (as atomic.Pointer
// does).
type holder[T any] struct{ v any }

func (h *holder[T]) Load() *T { return h.v.(*T) }

func buildHub() (*hub, error) { // want buildHub:"delete _ from sessionTable.byName"
	defer func() {}() // its results go through result slots
	if hubsOff {
		return nil, errHubsOff
	}
	return &hub{sessions: holder[sessionTable]{v: &sessionTable{byName: map[string]*session{}}}}, nil
}

var hubsOff bool

var errHubsOff = errorString("hubs off")

type errorString string

func (e errorString) Error() string { return string(e) }

func newHub() *hub { // want newHub:"delete _ from sessionTable.byName"
	h, _ := buildHub()
	return h
}

type peer struct {
	h    *hub
	sess *session
}

func dummyPeer() *peer { return &peer{h: newHub()} } // want dummyPeer:"delete _ from sessionTable.byName"

func (p *peer) login(name string) error { // want login:"insert p0.sess into sessionTable.byName"
	p.sess = &session{name: name}
	p.h.sessions.Load().byName[name] = p.sess
	return nil
}

func (p *peer) logout() { delete(p.h.sessions.Load().byName, p.sess.name) } // want logout:"delete _ from sessionTable.byName"

func parseLogin(name string) error { // want parseLogin:"delete _ from sessionTable.byName"
	p := dummyPeer()
	return p.login(name)
}

// A context handed on inside a slice literal, in a field of a local copy
// of a policy, to the store's own registry: it outlives the call there.
type policy struct{ pubs []Publisher }

type registryOf struct{ policies []*policy }

func (r *registryOf) add(p *policy) { r.policies = append(r.policies, p) }

func (s *Store) PutPolicy(reg *registryOf, base *policy) error {
	pc := &pubCtx{nc: s.nc}
	if err := pc.PublishAsync(nil); err != nil {
		return err
	}
	cp := *base
	np := &cp
	np.pubs = []Publisher{pc}
	reg.add(np)
	return nil
}
