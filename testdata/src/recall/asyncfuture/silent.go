package asyncfuture

import (
	"errors"
	"sync"
)

// Batch stores futures in a loop; its sync call takes its future back
// when it fails.
type Batch struct{ table sync.Map }

func (b *Batch) send(id int) error {
	if id < 0 {
		return errors.New("negative id")
	}
	return nil
}

func (b *Batch) InvokeOne(id int) error { // want InvokeOne:"delete _ from Batch\\.table"
	f := &Future{id: id, done: make(chan struct{})}
	b.table.Store(id, f)
	if err := b.send(id); err != nil {
		b.table.Delete(id)
		return err
	}
	return nil
}

// Silent: futures stored in a loop and left when a later round fails are a
// half-done batch, which the sibling functions that take one future back
// say nothing about (nats-server's stream sources, a test harness's
// compactions).
func (b *Batch) InvokeAll(ids []int) error {
	for _, id := range ids {
		f := &Future{id: id, done: make(chan struct{})}
		b.table.Store(id, f)
		if err := b.send(id); err != nil {
			return err
		}
	}
	return nil
}

// Maybe stores a future through a helper that can refuse it.
type Maybe struct{ table sync.Map }

func (m *Maybe) tryStore(f *Future) error { // want tryStore:"insert p1 into Maybe\\.table if r0 == nil"
	if f.id < 0 {
		return errors.New("negative id")
	}
	m.table.Store(f.id, f)
	return nil
}

func (m *Maybe) send(id int) error { return nil }

func (m *Maybe) InvokeOne(id int) error { // want InvokeOne:"delete _ from Maybe\\.table"
	f := &Future{id: id, done: make(chan struct{})}
	m.table.Store(id, f)
	if err := m.send(id); err != nil {
		m.table.Delete(id)
		return err
	}
	return nil
}

// Silent: the failing return answers the inserting call's own failure,
// seen through the variable that holds its error or nil (nats-server's
// processSub).
func (m *Maybe) InvokeMaybe(id int, store bool) error {
	f := &Future{id: id, done: make(chan struct{})}
	var err error
	if store {
		err = m.tryStore(f)
	}
	if err != nil {
		return err
	}
	return nil
}
