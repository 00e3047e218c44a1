// Package scoped is the shape of a released bug (a watcher registered
// inside a transaction, left registered when the transaction fails to
// commit): the function removes what it registered before its normal
// return, so the registration lives as long as the call, and a failing
// return that skips the removal leaves it behind for good. The
// registration happens in a closure that a helper runs before it returns.
package scoped

import (
	"context"
	"errors"
	"sync"

	"recall/scoped/store"
)

type token struct{ _ byte }

type watcher struct{ ch chan<- int }

type Feed struct {
	mu       sync.Mutex
	watchers map[*token]*watcher
	backlog  []int
}

func (f *Feed) add(ch chan<- int) *token { // want add:"insert r0 into Feed\\.watchers locked"
	t := new(token)
	f.mu.Lock()
	f.watchers[t] = &watcher{ch: ch}
	f.mu.Unlock()
	return t
}

func (f *Feed) remove(t *token) { // want remove:"delete _ from Feed\\.watchers"
	f.mu.Lock()
	delete(f.watchers, t)
	f.mu.Unlock()
}

var (
	errCommit = errors.New("commit failed")
	errTooOld = errors.New("too old")
)

// atomically runs fn, then commits; a failing commit fails the call after
// fn succeeded.
func (f *Feed) atomically(fn func() error) error { // want atomically:"runs p1"
	if err := fn(); err != nil {
		return err
	}
	if len(f.backlog) > 100 {
		return errCommit
	}
	return nil
}

// Follow registers ch for the call's lifetime; when the commit fails, the
// registration stays and the caller closes ch: the next event panics.
func (f *Feed) Follow(ctx context.Context, ch chan<- int) error { // want Follow:"delete _ from Feed\\.watchers"
	var t *token
	err := f.atomically(func() error {
		if len(f.backlog) > 50 {
			return errTooOld
		}
		for _, v := range f.backlog {
			ch <- v
		}
		t = f.add(ch)
		return nil
	})
	if err != nil {
		return err // want `stays in Feed\.watchers when this path fails`
	}
	<-ctx.Done()
	f.remove(t)
	return nil
}

// FollowFixed registers after the commit.
func (f *Feed) FollowFixed(ctx context.Context, ch chan<- int) error { // want FollowFixed:"delete _ from Feed\\.watchers"
	err := f.atomically(func() error {
		for _, v := range f.backlog {
			ch <- v
		}
		return nil
	})
	if err != nil {
		return err
	}
	t := f.add(ch)
	defer f.remove(t)
	<-ctx.Done()
	return nil
}

// FollowDeferred removes on every path.
func (f *Feed) FollowDeferred(ctx context.Context, ch chan<- int) error { // want FollowDeferred:"delete _ from Feed\\.watchers"
	var t *token
	defer func() {
		if t != nil {
			f.remove(t)
		}
	}()
	err := f.atomically(func() error {
		t = f.add(ch)
		return nil
	})
	if err != nil {
		return err
	}
	<-ctx.Done()
	return nil
}

// Store is what a Table keeps its rows in: it embeds the client, so a
// Table forwards InTx to whatever Client it was given and is no
// implementation of its own.
type Store interface {
	store.Client
	Rows() int
}

// Table reaches the transaction helper through two interfaces.
type Table struct {
	Store
	mu       sync.Mutex
	watchers map[*token]chan<- int
}

func (t *Table) Rows() int { return 0 }

func (t *Table) watch(ch chan<- int) *token { // want watch:"insert p1 into Table\\.watchers locked; insert r0 into Table\\.watchers locked"
	k := new(token)
	t.mu.Lock()
	t.watchers[k] = ch
	t.mu.Unlock()
	return k
}

func (t *Table) unwatch(k *token) { // want unwatch:"delete _ from Table\\.watchers"
	t.mu.Lock()
	delete(t.watchers, k)
	t.mu.Unlock()
}

// Follow registers inside the transaction; a failing commit leaves it.
func (t *Table) Follow(ctx context.Context, ch chan<- int) error { // want Follow:"delete _ from Table\\.watchers; insert p2 into Table\\.watchers if r0 != nil locked"
	var k *token
	err := t.InTx(func() error {
		k = t.watch(ch)
		return nil
	})
	if err != nil {
		return err // want `k stays in Table\.watchers when this path fails: the successful return deletes it first`
	}
	<-ctx.Done()
	t.unwatch(k)
	return nil
}

func (f *Feed) lookup(t *token) *watcher { // want lookup:"insert r0 into Feed\\.watchers"
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.watchers[t]
}

// Serve found its watcher registered by someone else, and a goroutine it
// starts removes it later: nothing here registered it, and nothing here
// removes it before returning. Silent.
func (f *Feed) Serve(t *token) error { // want Serve:"delete _ from Feed\\.watchers"
	w := f.lookup(t)
	if w == nil {
		return nil
	}
	if len(f.backlog) > 3 {
		return errCommit
	}
	go func() {
		w.ch <- 1
		f.remove(t)
	}()
	return nil
}

// Start registers a watcher that the goroutine it starts removes when done:
// a delete after the return is no scoped registration. Silent.
func (f *Feed) Start(ch chan<- int) error { // want Start:"delete _ from Feed\\.watchers"
	t := f.add(ch)
	if len(f.backlog) > 3 {
		return errCommit
	}
	go func() {
		ch <- 1
		f.remove(t)
	}()
	return nil
}
