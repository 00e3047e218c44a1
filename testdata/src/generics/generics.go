package generics

import "sync"

type Pool[T any] struct{ p sync.Pool }

// Free returns x to the pool.
func (p *Pool[T]) Free(x *T) { p.p.Put(x) } // want Free:"free p1"

type Index[K comparable, V any] struct{ m map[K]*V }

func (ix *Index[K, V]) Add(k K, v *V) { ix.m[k] = v }     // want Add:"insert p1 into Index\\.m; insert p2 into Index\\.m"
func (ix *Index[K, V]) Del(k K)       { delete(ix.m, k) } // want Del:"delete _ from Index\\.m"

type Item struct{ id int }

var (
	items Index[int, Item]
	pool  Pool[Item]
)

func bug(it *Item) { // want bug:"free p0"
	items.Add(it.id, it)
	pool.Free(it) // want `it freed by pool.Free while still in index Index.m`
}

func ok(it *Item) { // want ok:"free p0 after delete _ from Index\\.m; delete _ from Index\\.m"
	items.Add(it.id, it)
	items.Del(it.id)
	pool.Free(it)
}

func release[T any](p *Pool[T], x *T) { p.Free(x) } // want release:"free p1"

func bugGenericHelper(it *Item) { // want bugGenericHelper:"free p0"
	items.Add(it.id, it)
	release(&pool, it) // want `it freed by release while still in index Index.m`
}
