// Package fag: inserts and deletes under the same conditions, which the
// paths keep consistent (../shared/repro/fag): silent.
package fag

import "sync"

type Item struct{ n int }

var (
	items  = sync.Pool{New: func() any { return new(Item) }}
	byN    = map[int]*Item{}
	twoKey = map[string]*Item{}
)

// SameTest tests the same element twice, with no store to it between.
func SameTest(flags []int) { // want SameTest:"delete _ from byN"
	it := items.Get().(*Item)
	if flags[1] > 2 {
		byN[it.n] = it
	}
	it.n += 10
	if flags[1] > 2 {
		delete(byN, it.n-10)
	}
	items.Put(it)
}

// BothKeys puts one item under two keys of one map, each under its own
// flag, and takes each out under the same flag.
func BothKeys(left, right bool) { // want BothKeys:"delete _ from twoKey"
	it := items.Get().(*Item)
	if left {
		twoKey["l"] = it
	}
	if right {
		twoKey["r"] = it
	}
	if left {
		delete(twoKey, "l")
	}
	if right {
		delete(twoKey, "r")
	}
	items.Put(it)
}

// Forgets is reported: the second key's delete is missing.
func Forgets(left, right bool) { // want Forgets:"delete _ from twoKey"
	it := items.Get().(*Item)
	if left {
		twoKey["l"] = it
	}
	if right {
		twoKey["r"] = it
	}
	if left {
		delete(twoKey, "l")
	}
	items.Put(it) // want `it freed by items.Put while still in index twoKey`
}
