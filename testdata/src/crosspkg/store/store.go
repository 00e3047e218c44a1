// Package store indexes items in a package-level map and recycles them;
// other packages learn what its functions do through facts.
package store

import "sync"

type Item struct{ ID int }

var (
	byID = map[int]*Item{}
	pool sync.Pool
)

func Add(it *Item) { byID[it.ID] = it } // want Add:"insert p0 into byID"

func Remove(it *Item) { delete(byID, it.ID) } // want Remove:"delete _ from byID"

func Release(it *Item) { pool.Put(it) } // want Release:"free p0"

// Get returns the item indexed under id.
func Get(id int) *Item { return byID[id] } // want Get:"insert r0 into byID"
