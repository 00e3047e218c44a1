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
// Rules (what an operation means) live in package rules; this package
// turns SSA instructions into events (model.go, events.go, calls.go), runs
// the typestate dataflow over them (state.go, flow.go), and writes reports
// and facts (report.go, summary.go, facts.go).
//
// Each function is analysed once, callees before callers (recursion cycles
// iterate to a fixpoint, at most four rounds per function). The dataflow is
// property simulation (ESP): per block it keeps one state per distinct set
// of (object, index) facts, at most eight, merging beyond that to the facts
// every state shares (which can only make the checker quieter). Each state
// remembers the branch conditions taken on its paths, so a delete guarded by
// the same condition as its insert is followed only on consistent paths;
// conditions decided inside a loop are forgotten on the back edge. Phi edges
// add what they tell of values that branches test (x is nil on the edge
// that brings nil), so a value set on one path and tested later follows
// that path. An object made again in a loop starts afresh. Cost is linear
// in the function's size times that bound.
//
// Objects are SSA values normalised to their roots with field paths (&p.node
// is p). Where the design notes suggested one object per phi edge, a phi
// here stands for the set of its edges' objects, and so does an element
// loaded from a local slice or map: freeing it frees any of them. A field
// or captured variable stored exactly once in a function is the object
// stored there, flow-insensitively; stored twice, it is an object of its own.
// Objects that are neither freed in the function nor visible to its callers
// are dropped before the dataflow: they could never be reported.
//
// Indexes are package-level variables or struct fields (shared by every
// instance), or parameters inside a summary. A map made in the function is
// an index only if it escapes (stored, returned, captured, sent, put in an
// interface); passing it to a function does not count, since the callee's
// summary then speaks of it as a parameter.
//
// Summaries are exported as Summary facts for every function with an
// effect, on the generic origin: frees (with the deletes done before them),
// deletes, and inserts still in force at return (including objects read out
// of an index and returned). Operands are a parameter, result or captured
// variable, or one field of it: longer access paths stand for many objects
// at run time, and summaries that used them made callers confuse one with
// another. An insert may carry a guard: it holds only when a result is nil
// (or a bool), or only when a parameter passed a test; a caller decides a
// parameter guard with a constant argument, and otherwise follows the
// guard with its own branches, as it does a result guard. An insert of an
// intrusive node records the node's field and type, from which the fix
// finds the method that unlinks such nodes. Witness steps carry file:line
// for other packages, since positions do not cross processes.
package analyzer

const doc = `report objects freed while still in an index

An index is a package-level variable or struct field holding a map, a
sync.Map, a *container/list.List, or a type declared with //lifecycle:
directives or in the rules file. An object stored in an index (or read
out of one) must be deleted from it before it is freed: put back in a
sync.Pool or passed to a declared free function. lifecyclecheck follows
objects through calls, across packages, and reports each free of an
object that may still be in an index, with where it was inserted.`
