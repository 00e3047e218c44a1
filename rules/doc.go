// Package rules defines the model of lifecycle operations that
// lifecyclecheck checks: which functions insert an object into an index,
// delete it from one, end its life (free or close it) or keep it for
// good. It is pure data and matching on go/types; how states flow over
// SSA is the analyzer's business.
//
// # Operations
//
// An [Op] is one operation of a function, in terms of its parameters'
// positions: position 0 is the receiver of a method (for a plain function,
// its first parameter), so positions match the arguments of a static call
// in go/ssa. [Any] stands for _: as the index, whatever index holds the
// object (it unlinks itself); as the object, every object of the index (a
// delete by key). A [Set] maps functions, by types.Func.FullName of the
// generic origin, to their operations.
//
// # Built-in kinds
//
// [Builtin] returns the operations of the standard library that the
// checker knows without being told, grouped in kinds that can be turned
// off: map (language constructs, recognised by the engine), sync.Map,
// container/list and sync.Pool, whose Put frees its argument.
//
// # Directives
//
// Code under analysis declares its own operations in the doc comment of a
// function or method, naming parameters (the receiver included):
//
//	//lifecycle:insert INDEX OBJ   the function stores OBJ in INDEX
//	//lifecycle:delete INDEX OBJ   the function removes OBJ from INDEX (either may be _)
//	//lifecycle:free OBJ           the function hands OBJ's memory out again
//	//lifecycle:close OBJ          the function ends OBJ's life (its memory stays)
//	//lifecycle:keep OBJ           the function takes OBJ for good
//	//lifecycle:none OBJ           the function does nothing to OBJ's lifecycle
//
// and silences a report on a line, or the line below, with
//
//	//lifecycle:ignore REASON
//
// [FuncDirectives], [IgnoreDirectives] and [MisplacedDirectives] together
// report every malformed or misplaced directive exactly once: a directive
// on a type, var, const, field or interface method is misplaced, and
// names what it is on. [ResolveDirectives] turns names into positions and
// reports, at the directive, a keep of an object that another directive
// of the function frees or closes ([Contradicts]).
//
// # Rules file
//
// Functions that cannot be annotated, such as those of another module, get
// the same operations from a YAML file (by default [DefaultFile] at the
// module root), which also declares groups of indexes, selects the checks
// and turns built-in kinds off; each of its four keys is optional:
//
//	rules:
//	  - func: (*example.com/tree.Root).Insert
//	    op: insert      # insert, delete, free, close, keep or none
//	    index: r        # parameter name or position (0 is the receiver of a method)
//	    object: n
//	  - func: (*example.com/tree.Node).Delete
//	    op: delete
//	    object: n       # index omitted is _ for delete
//	  - func: (*example.com/conn.serverConn).closeStream
//	    op: close       # free, close, keep and none take no index
//	    object: st
//	groups:
//	  - indexes: [example.com/conn.Server.byID, example.com/conn.Server.byAddr]
//	  - indexes: [example.com/conn.sessions, example.com/conn.Server.idle]
//	checks: [all, -undo]   # as -checks; see ParseChecks
//	disable: [sync.Pool]   # built-in kinds to turn off; see Kinds
//
// A func may name any function or method, exported or not, of a package
// the module can import, including interface methods. A rule on a method
// that an interface embeds is a rule of the embedded method: rules on
// (example.com/a.ReadCloser).Close and (example.com/b.Conn).Close, both
// embedding io.Closer, are rules of (io.Closer).Close, and apply to every
// call of Close through an interface that embeds io.Closer. Rules that
// reach one function under different names merge: an operation declared
// twice counts once, different operations add up, and a keep against a
// free or close of the same object ([Contradicts]) is an error, as is a
// rule repeated under the same name. Operations add to what the analyzer
// learns of a function's body, except keep, which replaces the free or
// close it learned of that parameter (the user's word on a function that
// keeps what it seems to end), and none, which says the function does
// nothing to that parameter's lifecycle: everything learned of it (and of
// what it holds) is dropped, and nothing is declared in its place. None
// against any other operation on the same object is a contradiction.
//
// A group lists, by full name, indexes that an object leaves together, as
// the partial check learns from a function that removes it from all of
// them: at least two, each once. An index is a package-level variable,
// example.com/pkg.name, or a field of a declared struct type,
// example.com/pkg.Type.field (a field of an anonymous struct that a field
// holds follows it: example.com/pkg.Type.conns.m). The package path may
// have dots in its last element (gopkg.in/yaml.v3.Node.Content): each
// reading is tried. Resolved, a [Set] holds the groups in Set.Groups, by
// the names the analyzer gives indexes (an alias spelled as its type),
// sorted. lifecyclecheck -learned prints the rules and groups that a
// package's functions teach, in this format.
//
// [ParseFile] checks the file's shape and [File.Resolve] finds each
// function and index in its type-checked package; every problem is a [FileError]
// that prints as FILE:LINE: problem. Both go on after a problem, so that
// a caller can print every problem of a file at once, in line order
// ([JoinErrors]); nothing may run on a file with problems. A function's
// rules replace the operations the base set has for it; [Set.Agrees]
// tells whether a function's directives say the same as its rules.
package rules
