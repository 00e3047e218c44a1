package mapkind

import (
	"errors"
	"sync"
)

type Proxy struct {
	name string
	next *Proxy
}

var (
	pool   = sync.Pool{New: func() any { return new(Proxy) }}
	byName = map[string]*Proxy{}
)

func storeName(p *Proxy) { // want storeName:"insert p0 into byName"
	byName[p.name] = p
}

func bugDirect(name string) { // want bugDirect:"delete key p0 from byName"
	p := pool.Get().(*Proxy)
	p.name = name
	byName[name] = p
	pool.Put(p) // want `p freed by pool.Put while still in index byName \(inserted at mapkind.go:25\); delete it from byName first`
}

func okDirect(name string) { // want okDirect:"delete _ from byName"
	p := pool.Get().(*Proxy)
	byName[name] = p
	delete(byName, name)
	pool.Put(p)
}

func bugViaHelper(name string) {
	p := new(Proxy)
	p.name = name
	storeName(p)
	pool.Put(p) // want `p freed by pool.Put while still in index byName \(inserted by storeName at mapkind.go:39\)`
}

func release(p *Proxy) { // want release:"free p0"
	pool.Put(p)
}

func bugFreeHelper(name string) {
	p := new(Proxy)
	storeName(p)
	release(p) // want `p freed by release while still in index byName`
}

func cleanRelease(p *Proxy) { // want cleanRelease:"free p0 after delete _ from byName; delete _ from byName"
	delete(byName, p.name)
	pool.Put(p)
}

func okFreeHelper(name string) { // want okFreeHelper:"delete _ from byName"
	p := new(Proxy)
	storeName(p)
	cleanRelease(p)
}

func okCorrelated(name string, indexed bool) { // want okCorrelated:"delete _ from byName"
	p := new(Proxy)
	if indexed {
		byName[name] = p
	}
	p.next = nil
	if indexed {
		delete(byName, name)
	}
	pool.Put(p)
}

func bugOpposite(name string, indexed bool) { // want bugOpposite:"delete _ from byName"
	p := new(Proxy)
	if indexed {
		byName[name] = p
	}
	if !indexed {
		delete(byName, name)
	}
	pool.Put(p) // want `p freed by pool.Put while still in index byName`
}

func okLocalMap(name string) {
	m := map[string]*Proxy{}
	p := new(Proxy)
	m[name] = p
	pool.Put(p)
}

func bugDeferred(name string) { // want bugDeferred:"delete key p0 from byName"
	p := new(Proxy)
	defer pool.Put(p) // want `p freed by pool.Put while still in index byName`
	byName[name] = p
}

func bugRead(name string) {
	p := byName[name]
	pool.Put(p) // want `p freed by pool.Put while still in index byName \(read from it at mapkind.go:101\)`
}

func okRangeDelete() { // want okRangeDelete:"delete _ from byName"
	for k, p := range byName {
		delete(byName, k)
		pool.Put(p)
	}
}

func bugLocalSlice() {
	var victims []*Proxy
	for _, p := range byName {
		victims = append(victims, p)
	}
	for _, v := range victims {
		pool.Put(v) // want `v freed by pool.Put while still in index byName`
	}
}

func fill(m map[string]*Proxy, p *Proxy) { m[p.name] = p } // want fill:"insert p1 into p0"

// The index is passed to the helper that inserts.
func bugIndexAsParam(p *Proxy) { // want bugIndexAsParam:"free p0"
	fill(byName, p)
	pool.Put(p) // want `p freed by pool.Put while still in index byName \(inserted by fill at mapkind.go:126\)`
}

// Freeing inside the helper that inserts into a parameter index: the
// insert is visible there, so the report is there, naming the parameter.
func fillAndFree(m map[string]*Proxy, p *Proxy) { // want fillAndFree:"free p1"
	m[p.name] = p
	pool.Put(p) // want `p freed by pool.Put while still in index m`
}

// Replaced under another key: the old entry stays.
func bugReplacedOtherKey(a, b string) { // want bugReplacedOtherKey:"delete key p1 from byName"
	old := byName[a]
	byName[b] = new(Proxy)
	pool.Put(old) // want `old freed by pool.Put while still in index byName`
}

func register(p *Proxy) error { // want register:"insert p0 into byName if r0 == nil"
	if _, dup := byName[p.name]; dup {
		return errDup
	}
	byName[p.name] = p
	return nil
}

var errDup = errors.New("duplicate")

// Freed on the success path: the object is in the index there.
func bugRecycleOnSuccess(p *Proxy) { // want bugRecycleOnSuccess:"free p0"
	if err := register(p); err == nil {
		pool.Put(p) // want `p freed by pool.Put while still in index byName \(inserted by register`
	}
}

func update(p *Proxy, add bool) { // want update:"delete _ from byName if p1 == false; insert p0 into byName if p1 == true"
	if add {
		byName[p.name] = p
	} else {
		delete(byName, p.name)
	}
}

func adjust(p *Proxy, delta int) { // want adjust:"insert p0 into byName if \\(0 < p1\\) == true"
	if delta > 0 {
		byName[p.name] = p
	}
}

// The constant argument makes the callee insert.
func bugAddedThenRecycled(p *Proxy) { // want bugAddedThenRecycled:"free p0"
	update(p, true)
	pool.Put(p) // want `p freed by pool.Put while still in index byName \(inserted by update`
}

func bugIncrementedThenRecycled(p *Proxy) { // want bugIncrementedThenRecycled:"free p0"
	adjust(p, 1)
	pool.Put(p) // want `p freed by pool.Put while still in index byName \(inserted by adjust`
}

// Read twice: the report names the read nearest the free.
func bugReadTwice(name string) {
	if byName[name] == nil {
		return
	}
	p := byName[name]
	pool.Put(p) // want `p freed by pool.Put while still in index byName \(read from it at mapkind.go:191\)`
}

// The flag is set but the delete tests the opposite.
func bugFlagOpposite(p *Proxy, want bool) { // want bugFlagOpposite:"free p0; free p0 after delete _ from byName; delete _ from byName"
	inserted := false
	if want {
		byName[p.name] = p
		inserted = true
	}
	if !inserted {
		delete(byName, p.name)
	}
	pool.Put(p) // want `p freed by pool.Put while still in index byName`
}

// Frees in a loop, then the map dropped: the reset comes too late.
type Table struct{ m map[string]*Proxy }

func (t *Table) freeAllThenReset() { // want freeAllThenReset:"delete _ from Table.m"
	for _, p := range t.m {
		pool.Put(p) // want `p freed by pool.Put while still in index Table.m \(read from it at mapkind.go:\d+\)`
	}
	t.m = nil
}

// The map swapped out first: the loop frees what is no longer indexed.
func (t *Table) swapThenFree() { // want swapThenFree:"delete _ from Table.m"
	old := t.m
	t.m = map[string]*Proxy{}
	for _, p := range old {
		pool.Put(p)
	}
}

// A callee that inserts on one path and frees on another has checked both
// itself (nats-server's processAppendEntryResponse).
type Resp struct{ index uint64 }

var progress = map[uint64]*Resp{}

func process(r *Resp, keep bool) { // want process:"free p0; insert p0 into progress if p1 == true"
	if keep {
		progress[r.index] = r
		return
	}
	pool.Put(r)
}

func processAll(rs []*Resp, keep bool) { // want processAll:"free p0\\[\\]; insert p0\\[\\] into progress"
	for _, r := range rs {
		process(r, keep)
	}
}

// A helper that keeps a set under the object's key: the entry names the
// object, it holds no pointer to it, so freeing the object is no free of
// indexed memory (nats-server's trackResponse).
var acks = map[uint64]map[string]struct{}{}

func track(r *Resp, peer string) { // want track:"delete key p0.index from acks; insert p0 into acks by key"
	acks[r.index] = map[string]struct{}{peer: {}}
}

func respond(r *Resp) { // want respond:"free p0"
	track(r, "a")
	pool.Put(r)
}
