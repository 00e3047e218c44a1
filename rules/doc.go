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
// module root):
//
//	rules:
//	  - func: (*example.com/tree.Root).Insert
//	    op: insert
//	    index: r        # parameter name or position (0 is the receiver of a method)
//	    object: n
//	  - func: (*example.com/tree.Node).Delete
//	    op: delete
//	    object: n       # index omitted is _ for delete
//	  - func: example.com/slab.Free
//	    op: free
//	    object: x
//
// [ParseFile] checks its shape and [File.Resolve] finds each function in
// its type-checked package; every problem is a [FileError] that prints as
// FILE:LINE: problem. A function's rules replace the operations the base
// set has for it; [Set.Agrees] tells whether a function's directives say
// the same as its rules.
package rules
