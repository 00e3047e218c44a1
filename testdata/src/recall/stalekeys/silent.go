package stalekeys

import "sync"

// link's Close keeps its addresses: the removal after the close finds them.
type link struct {
	addrs []string
	done  chan struct{}
}

func (l *link) Close() error { close(l.done); return nil } // want Close:"close p0; close p0.done"

type Table struct {
	mu     sync.Mutex
	byAddr map[string]*link
}

func (t *Table) add(l *link, a string) { // want add:"insert p1 into Table.byAddr"
	l.addrs = append(l.addrs, a)
	t.byAddr[a] = l
}

func (t *Table) watch(l *link) { // want watch:"delete _ from Table.byAddr"
	go func() {
		<-l.done
		t.mu.Lock()
		defer t.mu.Unlock()
		for _, a := range l.addrs {
			delete(t.byAddr, a)
		}
	}()
}

// node's Close removes it from the table itself before it clears its
// keys: the removal that runs later has nothing left to do.
type node struct {
	t     *Ring
	addrs []string
	done  chan struct{}
}

type Ring struct{ byAddr map[string]*node }

func (n *node) Close() error { // want Close:"delete _ from Ring.byAddr; close p0 after delete _ from Ring.byAddr; close p0.done after delete _ from Ring.byAddr"
	n.t.forget(n)
	n.addrs = nil
	close(n.done)
	return nil
}

func (r *Ring) forget(n *node) { // want forget:"delete _ from Ring.byAddr"
	for _, a := range n.addrs {
		delete(r.byAddr, a)
	}
}

func (r *Ring) add(n *node, a string) { // want add:"delete _ from Ring.byAddr"
	n.addrs = append(n.addrs, a)
	r.byAddr[a] = n
	go func() {
		<-n.done
		r.forget(n)
	}()
}

// entry's Close clears its key only when it was never published: a
// branch, not every close.
type entry struct {
	key       string
	published bool
}

func (e *entry) Close() error {
	if !e.published {
		e.key = ""
	}
	return nil
}

type Book struct{ byKey map[string]*entry }

func (b *Book) put(e *entry) { b.byKey[e.key] = e } // want put:"insert p1 into Book.byKey"

func (b *Book) drop(e *entry) { // want drop:"delete _ from Book.byKey; close p1 after delete _ from Book.byKey"
	e.Close()
	delete(b.byKey, e.key)
}

// other's Close clears its key, but the delete after it reads the key of
// another object.
type other struct{ key string }

func (o *other) Close() error { o.key = ""; return nil }

type Shelf struct{ byKey map[string]*other }

func (s *Shelf) put(o *other) { s.byKey[o.key] = o } // want put:"insert p1 into Shelf.byKey"

func (s *Shelf) swap(old, cur *other) { // want swap:"delete _ from Shelf.byKey; close p1 after delete _ from Shelf.byKey"
	old.Close()
	delete(s.byKey, cur.key)
}
