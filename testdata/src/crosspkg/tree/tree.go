// Package tree is an intrusive index whose operations other packages learn
// through facts.
package tree

type Node struct {
	next *Node
	tree *Tree
}

type Tree struct{ head *Node }

// Insert links n into t.
//
//lifecycle:insert t n
func (t *Tree) Insert(n *Node) { n.next, n.tree, t.head = t.head, t, n } // want Insert:"insert p1 into p0"

// Delete unlinks n from its tree.
//
//lifecycle:delete _ n
func (n *Node) Delete() { n.tree = nil } // want Delete:"delete p0 from _"

type Slab[T any] struct{ free []*T }

// Free ends x's life.
//
//lifecycle:free x
func (s *Slab[T]) Free(x *T) { s.free = append(s.free, x) } // want Free:"free p1"
