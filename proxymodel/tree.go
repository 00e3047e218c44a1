package proxymodel

import (
	"fmt"
	"iter"
)

// NameNode is an intrusive node of a NameTree, embedded in the object it
// indexes, as HAProxy embeds an ebpt_node in struct proxy. A node knows its
// tree and its parent, so it can be deleted without the tree at hand.
type NameNode struct {
	key                 string
	owner               *Proxy
	tree                *NameTree
	parent, left, right *NameNode
}

// Key returns the key the node is indexed under.
func (n *NameNode) Key() string { return n.key }

// Proxy returns the proxy the node is embedded in (HAProxy's container_of).
func (n *NameNode) Proxy() *Proxy { return n.owner }

// Linked reports whether the node is in a tree.
func (n *NameNode) Linked() bool { return n.tree != nil }

// NameTree is an ordered index of NameNodes by key, modelled on HAProxy's
// ebtree: duplicates are allowed and kept in insertion order, lookups return
// the first node with a key. It is a plain unbalanced binary search tree in
// which every left subtree holds smaller keys and every right subtree holds
// equal or greater keys.
//
// Every node the tree reaches is checked: a node of a freed proxy, or one whose
// memory was handed out again while the tree still pointed at it, makes the
// operation panic with a *UseAfterFreeError instead of corrupting the tree.
type NameTree struct {
	root *NameNode
	size int
}

// Len returns the number of nodes in the tree.
func (t *NameTree) Len() int { return t.size }

// Insert links n into t under its key, after any node with an equal key.
// n must not be linked.
//
//lifecycle:insert t n
func (t *NameTree) Insert(n *NameNode) {
	if n.owner.poisoned() {
		panic(&UseAfterFreeError{Freed: n.owner.lastFreed, Op: "insert", Key: n.key, Node: "inserted node"})
	}
	if n.tree != nil {
		panic(fmt.Sprintf("proxymodel: insert of %q: node already linked", n.key))
	}
	var parent *NameNode
	link := &t.root
	for *link != nil {
		parent = t.reach(*link, n, "insert")
		if n.key < parent.key {
			link = &parent.left
		} else {
			link = &parent.right
		}
	}
	*link = n
	n.parent, n.left, n.right, n.tree = parent, nil, nil, t
	t.size++
}

// Delete unlinks n from the tree it is in. Deleting a node that is not linked
// does nothing, as with ebtree.
//
//lifecycle:delete _ n
func (n *NameNode) Delete() {
	if n.owner.poisoned() {
		panic(&UseAfterFreeError{Freed: n.owner.lastFreed, Op: "delete", Key: n.key, Node: "deleted node"})
	}
	t := n.tree
	if t == nil {
		return
	}
	left, right := t.reachOpt(n.left, n, "delete"), t.reachOpt(n.right, n, "delete")
	t.reachOpt(n.parent, n, "delete")
	switch {
	case left == nil:
		t.transplant(n, right)
	case right == nil:
		t.transplant(n, left)
	default:
		// Replace n by its successor s, the leftmost node of its right
		// subtree, so that the in-order sequence stays the same.
		s := right
		for s.left != nil {
			s = t.reach(s.left, n, "delete")
		}
		if s != right {
			t.transplant(s, t.reachOpt(s.right, n, "delete"))
			s.right = right
			right.parent = s
		}
		t.transplant(n, s)
		s.left = left
		left.parent = s
	}
	n.parent, n.left, n.right, n.tree = nil, nil, nil, nil
	t.size--
}

// transplant puts v (possibly nil) where u is in u's parent.
func (t *NameTree) transplant(u, v *NameNode) {
	switch p := u.parent; {
	case p == nil:
		t.root = v
	case p.left == u:
		p.left = v
	default:
		p.right = v
	}
	if v != nil {
		v.parent = u.parent
	}
}

// Lookup returns the first node with key, or nil.
func (t *NameTree) Lookup(key string) *NameNode {
	var found *NameNode
	for cur := t.reachOpt(t.root, nil, "lookup"); cur != nil; {
		switch {
		case key < cur.key:
			cur = t.reachOpt(cur.left, nil, "lookup")
		case key > cur.key:
			cur = t.reachOpt(cur.right, nil, "lookup")
		default:
			found = cur
			cur = t.reachOpt(cur.left, nil, "lookup")
		}
	}
	return found
}

// First returns the node with the smallest key, or nil.
func (t *NameTree) First() *NameNode {
	cur := t.reachOpt(t.root, nil, "walk")
	if cur == nil {
		return nil
	}
	for cur.left != nil {
		cur = t.reach(cur.left, nil, "walk")
	}
	return cur
}

// Next returns the node after n in key order, or nil.
func (n *NameNode) Next() *NameNode {
	t := n.tree
	if t == nil {
		return nil
	}
	if n.right != nil {
		cur := t.reach(n.right, nil, "walk")
		for cur.left != nil {
			cur = t.reach(cur.left, nil, "walk")
		}
		return cur
	}
	cur := n
	for cur.parent != nil {
		p := t.reach(cur.parent, nil, "walk")
		if p.left == cur {
			return p
		}
		cur = p
	}
	return nil
}

// All returns the tree's nodes in key order, duplicates in insertion order.
// The tree must not change during the walk.
func (t *NameTree) All() iter.Seq[*NameNode] {
	return func(yield func(*NameNode) bool) {
		for n := t.First(); n != nil; n = n.Next() {
			if !yield(n) {
				return
			}
		}
	}
}

// reachOpt is reach for a link that may be nil.
func (t *NameTree) reachOpt(cur, op *NameNode, what string) *NameNode {
	if cur == nil {
		return nil
	}
	return t.reach(cur, op, what)
}

// reach checks a node the tree is about to use during operation what on node
// op (nil for read-only operations) and returns it. A node reached through
// the tree must be live and belong to t: anything else is a link into freed
// memory.
func (t *NameTree) reach(cur, op *NameNode, what string) *NameNode {
	if cur.owner.poisoned() || cur == op || cur.tree != t {
		key := ""
		if op != nil {
			key = op.key
		}
		err := &UseAfterFreeError{Freed: cur.owner.lastFreed, Op: what, Key: key, Node: "tree node"}
		if !cur.owner.poisoned() {
			err.ReusedBy = cur.owner.name
		}
		panic(err)
	}
	return cur
}

// Check verifies the tree's invariants: parent links, membership, key order
// (smaller keys left, equal or greater right), the size, and that no node
// belongs to a freed proxy. It returns the first violation found.
func (t *NameTree) Check() error {
	count := 0
	var walk func(n, parent *NameNode, lo, hi *string) error
	walk = func(n, parent *NameNode, lo, hi *string) error {
		if n == nil {
			return nil
		}
		count++
		switch {
		case count > t.size:
			return fmt.Errorf("more than %d nodes reachable (cycle?)", t.size)
		case n.owner.poisoned():
			return fmt.Errorf("node of freed proxy %q reachable", n.owner.lastFreed)
		case n.tree != t:
			return fmt.Errorf("node %q reachable but not linked to this tree", n.key)
		case n.parent != parent:
			return fmt.Errorf("node %q has a wrong parent link", n.key)
		case lo != nil && n.key < *lo, hi != nil && n.key >= *hi:
			return fmt.Errorf("node %q out of order", n.key)
		}
		if err := walk(n.left, n, lo, &n.key); err != nil {
			return err
		}
		return walk(n.right, n, &n.key, hi)
	}
	if err := walk(t.root, nil, nil, nil); err != nil {
		return err
	}
	if count != t.size {
		return fmt.Errorf("size is %d but %d nodes are reachable", t.size, count)
	}
	return nil
}

// UseAfterFreeError is the panic value of a tree operation that reached the
// node of a freed proxy.
type UseAfterFreeError struct {
	Freed    string // name the proxy had when it was freed
	ReusedBy string // name of the proxy now using the memory, if reused
	Op       string // tree operation: insert, delete, lookup or walk
	Key      string // key being inserted or deleted, if any
	Node     string // which node was reached: "tree node", "inserted node", "deleted node"
}

func (e *UseAfterFreeError) Error() string {
	msg := fmt.Sprintf("use-after-free: %s of freed proxy %q reached during %s", e.Node, e.Freed, e.Op)
	if e.Key != "" {
		msg += fmt.Sprintf(" of %q", e.Key)
	}
	if e.ReusedBy != "" {
		msg += fmt.Sprintf(" (memory reused by proxy %q)", e.ReusedBy)
	}
	return msg
}
