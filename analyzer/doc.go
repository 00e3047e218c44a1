// Package analyzer defines an Analyzer that reports objects whose life
// ends while a long-lived index still holds them.
//
// # Analyzer lifecyclecheck
//
// lifecyclecheck: report objects freed or closed while still in an index
//
// An index is a container that outlives the function at hand: a
// package-level variable or a struct field holding a map, a sync.Map, a
// *container/list.List, or a type whose functions are declared with
// //lifecycle: directives or in the rules file. An object is in an index
// from the moment it is stored there until it is deleted: a pointer to it
// (or to one of its fields, such as an intrusive tree node &p.node), or
// the object stored under its identity (a key that is one of its own
// fields, m[s.id] = x, or the key it is stored under in another index on
// the same path). An object read out of an index is in it.
//
// Each report names its check, as the diagnostic's category and at the
// end of the message; -checks selects them (-checks=all,-closed):
//
//	freed   an object freed ((*sync.Pool).Put, a declared free, a function
//	        whose body frees it) while still in an index: it must leave
//	        every index before the free, on every path.
//	closed  an object closed (close(ch), its own Close, Shutdown or Stop
//	        method, a declared close, a function whose body closes it, or
//	        the goroutine started for it) and left in an index: it must
//	        leave by the end of the path that closes it, in the function
//	        where it is known to be indexed or in its callers; order does
//	        not matter.
//
// For example:
//
//	byName[p.name] = p
//	pool.Put(p) // p freed by pool.Put while still in index byName ... [freed]
//
//	for _, c := range s.conns {
//		c.Close() // c closed by c.Close while still in index Server.conns ... [closed]
//	}
//
// Three checks rest on the code's own evidence, which each report names
// in its message and Related positions:
//
//	undo        a failing return (non-nil error) after an insert keeps the
//	            object, while the function's other failing returns after
//	            that insert delete it ("the other 2 failing returns after
//	            its insert delete it"); or, for an object the function
//	            made, its successful return hands the object to the caller
//	            (who closes it) and the failing return drops it still
//	            registered; or, for an object made here and inserted
//	            outside a loop, the package's other functions that insert
//	            into that index take theirs back when they fail, and are
//	            at least as many as those that do not ("(*Client).InvokeSync
//	            deletes what it puts there when it fails"); and an object
//	            made here, inserted, then handed over by a select whose
//	            default branch drops it (select { case q <- s: default: });
//	            and an object the function's successful returns all delete
//	            before returning (a registration scoped to the call), left
//	            by a failing return
//	partial     a path removes an object from some of a group of indexes
//	            and leaves the rest, while it ends the object or removes it
//	            from two of them; the group is learned from a function that
//	            removes one object from all of them ("(*Hub).remove removes
//	            it from all 3"), imported, or declared in the rules file;
//	            also a removal from one of two nested maps that hold one
//	            relation both ways (m1[a][b] and m2[b][a], stored together),
//	            and a store over an entry whose attribute a reverse index
//	            keeps (byID[e.id] = name), made without looking the old
//	            entry up, where other functions remove both
//	unregister  a constructor registers the object (or one of its fields)
//	            in an index that outlives it, and the type's Close, Stop or
//	            Shutdown does not remove it; a factory returning an
//	            interface registers the concrete types it returns in it; a
//	            get-or-create registers; a lookup returned does not; only a
//	            removal of the same type elsewhere (or by a plain key a
//	            parameter gives) excuses the close method, not an owner's
//	            teardown; the Stop of a type that can start again is no
//	            close; a close that releases one reference, an index the
//	            package sweeps, and an index in a field of T itself are let
//	            be
//
// Evidence is ranked: undo and partial report only where the code keeps
// the rule at least as often as it breaks it.
//
// A function that calls a function parameter before it returns (a
// transaction helper running its body) does, at each call, what the
// closure passed there does (Summary.Runs). A close a callee makes on
// some paths only, keeping the object on the others with nothing the
// caller sees telling which, is a maybe-close: never reported.
//
// The check follows objects through calls: what a function inserts,
// deletes, frees, closes or returns out of an index is exported as a fact
// and applied at each call, in this package and in those that import it.
// A goroutine started with go applies its function's effects at the go
// statement; its closes are checked there, since the code after it cannot
// undo them. A channel registered in an index and read only by a goroutine
// that can return on another signal (select { case <-ctx.Done(): return;
// case <-ch: ... }) ends with that goroutine: when neither the goroutine
// nor the function deletes it from that index, the closed check reports it
// at the go statement. A close of an object by its own close method, where
// a callee registered and returned it (a factory), is not reported in the
// caller: whether that close method unregisters is the unregister check's
// question, answered once in the factory's package.
//
// When the goroutine started for an object deletes it from an index as it
// exits, closing that object elsewhere is clean: closing is how the
// goroutine is told to stop.
//
// Directives, in a function's doc comment, with parameter names:
//
//	//lifecycle:insert INDEX OBJ
//	//lifecycle:delete INDEX OBJ   (INDEX or OBJ may be _)
//	//lifecycle:free OBJ
//	//lifecycle:close OBJ
//	//lifecycle:keep OBJ           (ownership taken for good: no end after it is checked)
//
// and //lifecycle:ignore REASON on a reported line or the line above. A
// declared operation adds to what the function's body does: a declared
// close whose body deletes the object first is a clean close. A rule on an
// interface method applies to every call through the interface, and where
// the concrete type is known, the concrete method's body applies as well.
// Only the standard library's built-in operations (sync.Map, list, Pool)
// replace the body.
//
// # Engine
//
// Rules (what an operation means) live in package rules. This package is
// the pass driver (run.go), and it imports and exports the Summary facts
// (facts.go); the engine's layers are packages under internal/, each of
// which uses only layers listed before it:
//
//	facts    a function's Summary and its effects, pure data
//	model    SSA values to objects (roots with access paths) and indexes
//	events   instructions to lifecycle events, callees' summaries applied;
//	         a function's removals per subject (removals.go, for partial)
//	flow     the typestate dataflow over a function's events
//	checks   what each check concludes, one file each: freed, closed and
//	         undo from the dataflow's final pass, partial and unregister
//	         from the whole package's removals and summaries
//	summary  what a function does to what its callers can see
//	report   diagnostics: messages, related positions, fixes, ignores
//
// The checks and the summary both watch the dataflow's final pass: the
// flow tells an observer of each free and each return, the checks decide
// what is a defect and tell the reporter, and the summarizer records what
// callers need to know. The layers are internal: their APIs serve this
// analyzer alone, and what they need of the pass comes through small
// interfaces (events.Pass, report.Lookup). What needs the whole package
// stays with the driver: the call graph and its order (callgraph.go), the
// package-level evidence checks and the groups they export (evidence.go),
// directives (directives.go), close callbacks found across the package
// (hooks.go), the sole implementation of an interface (resolve.go), and
// the unlink methods fixes call (unlinkers.go). Two rules need no
// dataflow and run on a function's events before they are pruned
// (checks/dropped.go, checks/served.go); the undo check's evidence across
// functions is gathered per function and judged once the package is done
// (checks/siblings.go).
//
// Each function is analysed once, callees before callers (recursion cycles
// iterate to a fixpoint, at most four rounds per function). The dataflow is
// property simulation (ESP), run first once over every object the
// function's events speak of; that run is exact unless some block needs
// more than sixteen states, and then the function is run again once per
// object (at most 16 runs; beyond that objects share runs), so that
// independent objects never multiply each other's states. Per block a run
// keeps one state per distinct set of (object, index) facts, closed and
// kept objects, at most sixteen; beyond that the states are widened into
// one, in which a fact is In if it is In on any of them. Widening forgets
// which conditions went with which facts, so it can report where the paths
// were consistent, but it never drops a report. Each state remembers the
// branch conditions taken on its paths, so a delete guarded by the same
// condition as its insert is followed only on consistent paths; conditions
// decided inside a loop are forgotten on the back edge. Phi edges add what
// they tell of values that branches test (x is nil on the edge that brings
// nil); a constant condition follows its one edge (if debug {...}). An
// object made again in a loop starts afresh. The cost is linear in the
// function's size times the facts a state holds, which grow with the
// objects indexed at once, not with the paths.
//
// A free checks the present: every fact about the object must be gone. A
// close opens an obligation: at every return, each closed object must be
// out of every index the function can see (package-level or field
// indexes; an index passed in is its caller's to clean up); the close is
// also summarised, under the guard that tells the returns where it holds,
// for callers who know other indexes. An insert made by the very call that
// closes (on another of its paths) is the callee's to check.
//
// Objects are SSA values normalised to their roots with field paths (&p.node
// is p). A phi stands for the set of its edges' objects, and so does an
// element loaded from a local slice or map. A field or captured variable
// stored exactly once in a function, before every load of it, is the object
// stored there. Paths longer than four steps keep their first steps and
// their last, so a deep object is never taken for its parent.
//
// Identity by key: an insert whose key is a field of another object (a
// plain value, in a map whose entries cannot hold that object) puts that
// object in the index too, and an insert that stores nothing but a key
// puts in whatever the function stored under an equal key elsewhere. Such
// an entry holds no pointer to the object's memory, so it matters for
// closes, not for frees. A delete by key counts as a delete of every
// object of the index: when in doubt the checker stays silent. Storing
// under an equal key replaces the entry, in the function or in a callee
// (summarised as "delete key k").
//
// Indexes are package-level variables or struct fields (shared by every
// instance), or parameters inside a summary; a container held in one (the
// set in watches[name], the slice in listeners[status]) is part of that
// index, and a slice appended into a map entry puts its elements in it.
// Rewriting each entry while ranging over the map (m[k] = filtered) is a
// delete by key. sync.Once.Do runs its function at the call. An interface
// implemented by one type of its package (and by none of the importing
// one) is called as that type, also from other packages. A map made in the
// function is an index only if it escapes (stored, returned, captured,
// sent, put in an interface); passing it to a function does not count,
// since the callee's summary then speaks of it as a parameter.
//
// Summaries are exported as Summary facts for every function with an
// effect, on the generic origin: frees (with the deletes done before them),
// closes (with the deletes on their paths, and a guard), deletes (by key
// where the key is known), keeps, inserts still in force at return
// (including objects read out of an index and returned), and the concrete
// types of interface results. Operands are a parameter, result or captured
// variable, or one field of it. An insert or a close may carry a guard: it
// holds only when a result is nil (or a bool), or only when a parameter
// passed a test; a caller decides a parameter guard with a constant
// argument, and otherwise follows the guard with its own branches. Witness
// steps carry file:line for other packages, since positions do not cross
// processes.
package analyzer

const doc = `report objects freed or closed while still in an index

An index is a package-level variable or struct field holding a map, a
sync.Map, a *container/list.List, or a type declared with //lifecycle:
directives or in the rules file. An object stored in an index (or read
out of one) must be deleted from it before it is freed (put back in a
sync.Pool or passed to a declared free function), and by the end of the
path that closes it (close(ch), its Close, Shutdown or Stop method, a
declared close, or the goroutine started for it). lifecyclecheck follows
objects through calls, across packages, and reports each end of life of
an object that may still be in an index, with where it was inserted,
and the paths whose evidence says it must leave: a failing return that
skips the delete its sibling paths make (undo), a removal from part of
a group of indexes (partial), a close method that leaves what the
constructor registered (unregister). Each report names its check
(freed, closed, undo, partial, unregister); -checks selects them, and
-explain CHECK prints what one reports, an example, and how to fix and
silence it.`
