// Package silent holds correct code that looks like the bug: the checker
// must stay quiet on all of it.
package silent

import (
	"errors"
	"sync"
)

type Obj struct {
	key  string
	next *Obj
}

var (
	index  = map[string]*Obj{}
	copies = map[string]Obj{}
	pool   sync.Pool
)

// A map local to the function is no index.
func localMap(o *Obj) { // want localMap:"free p0"
	m := make(map[string]*Obj)
	m[o.key] = o
	pool.Put(o)
}

// A map of values holds copies, not the object.
func valueCopies(o *Obj) { // want valueCopies:"free p0"
	copies[o.key] = *o
	pool.Put(o)
}

func remove(o *Obj) { delete(index, o.key) } // want remove:"delete _ from index"

// Delete before free, through a helper.
func deleteViaHelper(o *Obj) { // want deleteViaHelper:"free p0 after delete _ from index; delete _ from index"
	index[o.key] = o
	remove(o)
	pool.Put(o)
}

// Re-allocation: the freed object is a different one from the inserted.
func reallocated(key string) { // want reallocated:"delete _ from index"
	a := &Obj{key: key}
	index[key] = a
	delete(index, key)
	pool.Put(a)
	b := &Obj{key: key}
	index[key] = b
}

// Two distinct objects: only one is in the index.
func twoObjects(key string) { // want twoObjects:"delete key p0 from index"
	a, b := &Obj{key: key}, &Obj{key: key + "x"}
	index[key] = a
	pool.Put(b)
}

// The index itself is swapped out for a fresh one.
func swapIndex(o *Obj) { // want swapIndex:"free p0 after delete _ from index; delete _ from index"
	index[o.key] = o
	index = map[string]*Obj{}
	pool.Put(o)
}

// Cleared.
func cleared(o *Obj) { // want cleared:"free p0 after delete _ from index; delete _ from index"
	index[o.key] = o
	clear(index)
	pool.Put(o)
}

// Replaced under the same key.
func replaced(o, p *Obj) { // want replaced:"free p0; insert p1 into index"
	index[o.key] = o
	index[o.key] = p
	pool.Put(o)
}

// Correlated guards, twice on the same condition.
func correlated(o *Obj, indexed bool) { // want correlated:"free p0 after delete _ from index; delete _ from index"
	if indexed {
		index[o.key] = o
	}
	o.next = nil
	if indexed {
		delete(index, o.key)
	}
	pool.Put(o)
}

// Correlated on a nil test of a lookup.
func correlatedNil(key string) { // want correlatedNil:"delete _ from index"
	o := index[key]
	if o != nil {
		delete(index, key)
	}
	if o != nil {
		pool.Put(o)
	}
}

// LoadAndDelete hands the object out of the index.
var sm sync.Map

func loadAndDelete(key string) { // want loadAndDelete:"delete _ from sm"
	if v, ok := sm.LoadAndDelete(key); ok {
		pool.Put(v)
	}
}

// Freed objects never inserted.
func neverInserted() {
	o := &Obj{}
	pool.Put(o)
}

// The insert happens only on a path that returns before the free.
func earlyReturn(o *Obj, keep bool) { // want earlyReturn:"free p0; insert p0 into index"
	if keep {
		index[o.key] = o
		return
	}
	pool.Put(o)
}

// Delete in a loop over the index before freeing each.
func drain() { // want drain:"delete _ from index"
	for k, o := range index {
		delete(index, k)
		pool.Put(o)
	}
}

// A deferred delete runs before a deferred free registered earlier.
func deferOrder(o *Obj) { // want deferOrder:"free p0 after delete _ from index; delete _ from index"
	defer pool.Put(o)
	index[o.key] = o
	defer delete(index, o.key)
}

// Strings and ints stored in an index are not objects.
var names = map[string]string{}

func strings(o *Obj) { // want strings:"free p0"
	names[o.key] = o.key
	pool.Put(o)
}

func fill(m map[string]*Obj, o *Obj) { m[o.key] = o } // want fill:"insert p1 into p0"

// A local map filled by a helper is still no index.
func localMapViaHelper(o *Obj) { // want localMapViaHelper:"free p0"
	m := map[string]*Obj{}
	fill(m, o)
	pool.Put(o)
}

// What was read under a key is replaced under the same key.
func readThenReplaced(key string, fresh *Obj) { // want readThenReplaced:"insert p1 into index"
	old := index[key]
	index[key] = fresh
	pool.Put(old)
}

func syncMapReplaced(key string, a, b *Obj) { // want syncMapReplaced:"free p1; insert p2 into sm"
	sm.Store(key, a)
	sm.Store(key, b)
	pool.Put(a)
}

// A new object each iteration: what the previous one did does not stick
// to the next.
func perIteration(keys []string) {
	for _, k := range keys {
		o := pool.Get().(*Obj)
		if _, dup := index[k]; dup {
			pool.Put(o)
			continue
		}
		index[k] = o
	}
}

var errDup = errors.New("duplicate")

// register inserts o only when it returns a nil error.
func register(o *Obj) error { // want register:"insert p0 into index if r0 == nil"
	if _, dup := index[o.key]; dup {
		return errDup
	}
	index[o.key] = o
	return nil
}

// On the error path nothing was inserted: freeing there is correct.
func registerOrRecycle(o *Obj) error { // want registerOrRecycle:"free p0; insert p0 into index"
	if err := register(o); err != nil {
		pool.Put(o)
		return err
	}
	return nil
}

// tryAdd inserts o only when it returns true.
func tryAdd(o *Obj) bool { // want tryAdd:"insert p0 into index if r0 == true"
	if index[o.key] != nil {
		return false
	}
	index[o.key] = o
	return true
}

func addOrRecycle(o *Obj) { // want addOrRecycle:"free p0; insert p0 into index"
	if !tryAdd(o) {
		pool.Put(o)
	}
}

// A value set on one path and tested later follows that path: the object
// read under key is deleted on every path where it is freed.
func setOnOnePath(key string, load func() **Obj) { // want setOnOnePath:"delete _ from index"
	var next **Obj
	if o, held := index[key]; held {
		defer pool.Put(o)
		next = &o.next
	}
	if next == nil {
		next = load()
		if next == nil {
			return
		}
	}
	delete(index, key)
}

// The same through a phi of phis (a switch inside the branch).
func setInSwitch(key string, mode int, load func() **Obj) { // want setInSwitch:"delete _ from index"
	var next **Obj
	if o, held := index[key]; held {
		switch mode {
		case 0:
			delete(index, key)
		case 1:
			next = &o.next
		default:
			return
		}
		defer pool.Put(o)
	}
	if next == nil {
		if next = load(); next == nil {
			return
		}
	}
	delete(index, key)
}

// update inserts o when add is true.
func update(o *Obj, add bool) { // want update:"delete _ from index if p1 == false; insert p0 into index if p1 == true"
	if add {
		index[o.key] = o
	} else {
		delete(index, o.key)
	}
}

// adjust inserts o when delta is positive.
func adjust(o *Obj, delta int) { // want adjust:"insert p0 into index if \\(0 < p1\\) == true"
	if delta > 0 {
		index[o.key] = o
	}
}

// A constant argument rules the callee's insert out.
func removeAndRecycle(o *Obj) { // want removeAndRecycle:"free p0 after delete _ from index; delete _ from index"
	update(o, false)
	pool.Put(o)
}

func decrementAndRecycle(o *Obj) { // want decrementAndRecycle:"free p0"
	adjust(o, -1)
	pool.Put(o)
}

// A variable argument: the caller's own test of it follows the callee's.
func toggle(o *Obj, add bool) { // want toggle:"free p0 after delete _ from index; delete _ from index; insert p0 into index if p1 == true"
	update(o, add)
	if !add {
		pool.Put(o)
	}
}

// A flag set where the insert happens guards the delete.
func flagged(o *Obj, want bool) { // want flagged:"free p0 after delete _ from index; delete _ from index"
	inserted := false
	if want {
		index[o.key] = o
		inserted = true
	}
	if inserted {
		delete(index, o.key)
	}
	pool.Put(o)
}

// The same with the lookup's comma-ok.
func commaOK(o *Obj) { // want commaOK:"free p0 after delete _ from index; delete _ from index"
	_, exists := index[o.key]
	if !exists {
		index[o.key] = o
	}
	if !exists {
		delete(index, o.key)
	}
	pool.Put(o)
}

func initObj(o *Obj) error {
	if o.key == "" {
		return errors.New("no key")
	}
	return nil
}

// open inserts o only when it returns a nil error, though the error it
// returns comes from elsewhere.
func open(o *Obj) error { // want open:"insert p0 into index if r0 == nil"
	if err := initObj(o); err != nil {
		return err
	}
	index[o.key] = o
	return nil
}

func openOrRecycle(o *Obj) { // want openOrRecycle:"free p0; insert p0 into index"
	if err := open(o); err != nil {
		pool.Put(o)
	}
}
