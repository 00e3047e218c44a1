// Package analyzer defines an Analyzer that reports objects freed while an
// index still holds them.
//
// # Analyzer lifecyclecheck
//
// lifecyclecheck: report objects freed while still in an index
//
// An index is a container that outlives the function at hand: a
// package-level variable or a struct field holding a map, a sync.Map, a
// *container/list.List, or a type whose functions are declared with
// //lifecycle: directives or in the rules file. An object is in an index
// from the moment a pointer to it (or to one of its fields, such as an
// intrusive tree node &p.node) is stored there until it is deleted; an
// object read out of an index is in it. A free — (*sync.Pool).Put, a
// declared free, or a function whose body frees a parameter — ends the
// object's life, and the index must no longer hold it:
//
//	byName[p.name] = p
//	...
//	pool.Put(p) // p freed by pool.Put while still in index byName
//
// The check follows objects through calls: what a function inserts,
// deletes, frees or returns out of an index is exported as a fact and
// applied at each call, in this package and in those that import it.
//
// Directives, in a function's doc comment, with parameter names:
//
//	//lifecycle:insert INDEX OBJ
//	//lifecycle:delete INDEX OBJ   (INDEX or OBJ may be _)
//	//lifecycle:free OBJ
//
// and //lifecycle:ignore REASON on a reported line or the line above.
//
// # Engine
//
// Each function is analysed once (recursion cycles to a fixpoint) by a
// forward dataflow over its SSA blocks that keeps, per block, one state per
// distinct set of (object, index) facts (property simulation), at most
// eight, merging beyond that to the facts all states share. Each state
// remembers the branch conditions taken, so a delete guarded by the same
// condition as its insert is followed only on consistent paths. Objects
// are SSA values normalised to their roots with field paths; a location
// stored exactly once aliases what was stored; elements of local slices
// and maps stand for everything stored in them. Indexes are identified by
// variable or by struct field (shared by all instances).
package analyzer

const doc = `report objects freed while still in an index

An index is a package-level variable or struct field holding a map, a
sync.Map, a *container/list.List, or a type declared with //lifecycle:
directives or in the rules file. An object stored in an index (or read
out of one) must be deleted from it before it is freed: put back in a
sync.Pool or passed to a declared free function. lifecyclecheck follows
objects through calls, across packages, and reports each free of an
object that may still be in an index, with where it was inserted.`
