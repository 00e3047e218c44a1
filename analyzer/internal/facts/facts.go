// Package facts holds what lifecyclecheck knows of a function once its
// analysis is done: its Summary, the effects a caller applies at each call
// (inserts, deletes, frees, closes, keeps, with their operands, indexes,
// guards and witness steps), and the concrete types of its interface
// results. It is pure data: no SSA, no analysis pass. The analyzer exports
// a Summary as its fact; the engine's layers build and read it.
package facts

import (
	"encoding/json"
	"fmt"
	"go/constant"
	"go/token"
	"slices"
	"sort"
	"strings"

	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// Summary is what lifecyclecheck exports (as analyzer.Summary, a type with
// the same fields) for each function whose body
// inserts, deletes or frees something a caller can see: its parameters,
// results, captured variables and the objects reached from them. Callers
// apply it at each call, so the effects compose through call chains and
// across packages.
type Summary struct {
	Effects []Effect `json:",omitempty"`
	// Concrete lists the interface results that always hold one concrete
	// type, so that a caller's call through the interface can apply that
	// type's method.
	Concrete []ConcreteResult `json:",omitempty"`
	// Groups are the sets of indexes the function removes one object
	// from together (evidence for the partial check).
	Groups []Group `json:",omitempty"`
	// Runs lists the parameters of function type that the function calls
	// before it returns, on some path (itself, deferred, or through a
	// callee that runs them): a caller's closure passed there does what
	// it does at the call (a transaction helper running its body).
	Runs []int `json:",omitempty"`
}

// OperandBase says where an operand comes from.
type OperandBase int

const (
	// AnyObject is "every object of the index" (a delete by key).
	AnyObject OperandBase = iota
	// ParamOperand is parameter Pos (0 is the receiver of a method).
	ParamOperand
	// ResultOperand is result Pos.
	ResultOperand
	// FreeVarOperand is captured variable Pos of a closure.
	FreeVarOperand
)

// Operand is an object a summary speaks of: a parameter, result or
// captured variable, followed by the fields loaded from it ("|"-separated
// field IDs).
type Operand struct {
	Base OperandBase `json:",omitempty"`
	Pos  int         `json:",omitempty"`
	Path string      `json:",omitempty"`
}

// Effect is one operation of a function on an operand. Index.Kind is 0 for
// "whatever index holds the object".
type Effect struct {
	Op     rules.Kind `json:",omitempty"`
	Object Operand    `json:",omitempty"`
	Index  IndexID    `json:",omitempty"`
	// Before lists, for a free, the deletes the function performs before it.
	Before []Effect `json:",omitempty"`
	// Node is, for an insert, the path of fields from the object to the
	// intrusive node that was linked (&p.byName: the field byName), and
	// NodeType the node's type ("example.com/tree.Node").
	Node, NodeType string `json:",omitempty"`
	// MapKey is, for an insert into a map, how the key is reached from the
	// object: "" when the object is the key, "|field" for p.field; Keyed
	// says MapKey is known.
	MapKey string `json:",omitempty"`
	Keyed  bool   `json:",omitempty"`
	// Guard, for an insert, is the condition on a result under which the
	// function returns with the object inserted (nil when always).
	Guard *Guard `json:",omitempty"`
	// Key, for a delete, is the key operand whose entry the function
	// replaced (m[k] = other): it deletes what was stored under that key,
	// not every object of the index.
	Key *Operand `json:",omitempty"`
	// By, for a delete by key that counts for every object (delete(m, k)),
	// is the operand the key came from, when it is a parameter or a field
	// of one: evidence of which object leaves (the partial check), not a
	// narrowing of the delete. Facts do not show it.
	By *Operand `json:",omitempty"`
	// Ident, for an insert, says the object went in under its identity
	// (a key naming it), not as a pointer: it counts for closes, not frees.
	Ident bool `json:",omitempty"`
	// Locked, for an insert, says the function held a mutex when it made
	// it: a fix that deletes elsewhere could race, so none is offered.
	Locked bool `json:",omitempty"`
	// Read, for an insert, says the object was read out of the index,
	// not put in it, on every path that has it there (a lookup returned,
	// a table's entry copied into a field): it is in the index, but the
	// function registered nothing. Facts do not show it.
	Read bool `json:",omitempty"`
	// Maybe, for a close, says the function closes the object on some
	// paths only, keeps it on others (stores it to use later), and no
	// result or parameter tells a caller which: a caller never reports
	// such a close (when in doubt, silent).
	Maybe bool `json:",omitempty"`
	// Async, for a close or a free, says a goroutine the function starts
	// does it, when it ends, on every path that has it: for the caller's
	// checks it is an end of life at the call (the goroutine-end rule),
	// but no rule can state it. Facts do not show it.
	Async bool `json:",omitempty"`
	// Steps is the witness: the calls from the function down to the
	// operation, outermost first.
	Steps []Step `json:",omitempty"`
}

// Guard is a condition under which an insert holds at return. On a
// result: result Result is nil (Nil set, Value true), non-nil (Nil set,
// Value false), or the bool Value. On a parameter (Param is 1 + its
// position): the bool parameter is Value, or, with Op set, "param Op
// Const" (Const on the left if ConstLeft) is Value.
type Guard struct {
	Result int  `json:",omitempty"`
	Nil    bool `json:",omitempty"`
	Value  bool `json:",omitempty"`

	Param     int           `json:",omitempty"`
	Op        token.Token   `json:",omitempty"`
	Const     string        `json:",omitempty"`
	ConstKind constant.Kind `json:",omitempty"`
	ConstLeft bool          `json:",omitempty"`
}

// String renders the guard as facts show it: " if r1 == nil".
func (g *Guard) String() string {
	switch {
	case g == nil:
		return ""
	case g.Param > 0 && g.Op == 0:
		return fmt.Sprintf(" if p%d == %v", g.Param-1, g.Value)
	case g.Param > 0 && g.ConstLeft:
		return fmt.Sprintf(" if (%s %s p%d) == %v", g.Const, g.Op, g.Param-1, g.Value)
	case g.Param > 0:
		return fmt.Sprintf(" if (p%d %s %s) == %v", g.Param-1, g.Op, g.Const, g.Value)
	case g.Nil && g.Value:
		return fmt.Sprintf(" if r%d == nil", g.Result)
	case g.Nil:
		return fmt.Sprintf(" if r%d != nil", g.Result)
	}
	return fmt.Sprintf(" if r%d == %v", g.Result, g.Value)
}

// Step is one call on the way to an operation.
type Step struct {
	// Func is the function called, as the user reads it; empty for the
	// operation itself when it is a statement (m[k] = v, delete(m, k)).
	Func string `json:",omitempty"`
	// Where is the call's position, file:line.
	Where string `json:",omitempty"`
	// At is the call's full position, path:line:column, for another
	// process to point at (a related position in the importer's report).
	At  string    `json:",omitempty"`
	pos token.Pos // valid when the step is in this process's file set
	arg int       // 1 + the position of the argument the operation acts on; 0 if unknown
}

// NewStep returns the step of a call to fn (empty for a statement) at pos,
// a position in this process's file set; arg is 1 + the position of the
// argument the operation acts on, or 0. Neither pos nor arg is encoded in
// facts: positions do not cross processes.
func NewStep(fn string, pos token.Pos, arg int) Step {
	return Step{Func: fn, pos: pos, arg: arg}
}

// Pos returns the step's position when it is in this process's file set,
// else token.NoPos.
func (s Step) Pos() token.Pos { return s.pos }

// Arg returns 1 + the position of the argument the operation acts on, or 0
// if unknown.
func (s Step) Arg() int { return s.arg }

// String renders the operand as facts show it: p0.name, r1, fv2, _.
func (o Operand) String() string {
	var b strings.Builder
	switch o.Base {
	case AnyObject:
		return "_"
	case ParamOperand:
		fmt.Fprintf(&b, "p%d", o.Pos)
	case ResultOperand:
		fmt.Fprintf(&b, "r%d", o.Pos)
	case FreeVarOperand:
		fmt.Fprintf(&b, "fv%d", o.Pos)
	}
	b.WriteString(PathSuffix(o.Path))
	return b.String()
}

// String renders the effect as facts show it: insert p0 into m.
func (e Effect) String() string {
	idx := "_"
	if e.Index.Kind != 0 {
		idx = e.Index.String()
	}
	switch e.Op {
	case rules.Free, rules.Close:
		s := e.Op.String() + " " + e.Object.String()
		if e.Maybe {
			s = "maybe " + s
		}
		if len(e.Before) > 0 {
			var ds []string
			for _, d := range e.Before {
				ds = append(ds, d.String())
			}
			s += " after " + strings.Join(ds, ", ")
		}
		return s
	case rules.Insert:
		locked := ""
		if e.Ident {
			locked += " by key"
		}
		if e.Locked {
			locked += " locked"
		}
		return fmt.Sprintf("insert %s into %s%s%s", e.Object, idx, e.Guard, locked)
	case rules.Delete:
		if e.Key != nil {
			return fmt.Sprintf("delete key %s from %s%s", e.Key, idx, e.Guard)
		}
		return fmt.Sprintf("delete %s from %s%s", e.Object, idx, e.Guard)
	case rules.Keep:
		return "keep " + e.Object.String()
	}
	return fmt.Sprintf("%s %s %s", e.Op, e.Object, idx)
}

// String renders the summary as facts show it: lifecycle(free p0; ...).
func (s *Summary) String() string {
	var parts []string
	for _, e := range s.Effects {
		parts = append(parts, e.String())
	}
	for _, c := range s.Concrete {
		ptr := ""
		if c.Ptr {
			ptr = "*"
		}
		parts = append(parts, fmt.Sprintf("r%d is %s%s.%s", c.Result, ptr, c.Pkg, c.Name))
	}
	for _, g := range s.Groups {
		parts = append(parts, g.String())
	}
	for _, p := range s.Runs {
		parts = append(parts, fmt.Sprintf("runs p%d", p))
	}
	return "lifecycle(" + strings.Join(parts, "; ") + ")"
}

// Normalize sorts and dedupes the effects so that facts encode
// deterministically and fixpoints can compare them.
func (s *Summary) Normalize() {
	type keyed struct {
		key string
		e   Effect
	}
	ks := make([]keyed, 0, len(s.Effects))
	seen := make(map[string]int, len(s.Effects))
	for _, e := range s.Effects {
		k := e.sortKey()
		if i, ok := seen[k]; ok {
			read := ks[i].e.Read && e.Read    // put in on some path: registered
			async := ks[i].e.Async && e.Async // done by the function itself on some path
			if tieBreak(e) < tieBreak(ks[i].e) {
				ks[i].e = e // the same one whatever order the paths came in
			}
			ks[i].e.Read, ks[i].e.Async = read, async
			continue
		}
		seen[k] = len(ks)
		ks = append(ks, keyed{k, e})
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i].key < ks[j].key })
	s.Effects = s.Effects[:0]
	for _, k := range ks {
		s.Effects = append(s.Effects, k.e)
	}
}

// tieBreak orders effects that say the same to a caller (same sortKey)
// by all they carry (the steps that led to them, with positions), so that
// Normalize keeps the same one on every run.
func tieBreak(e Effect) string {
	data, _ := json.Marshal(e)
	var b strings.Builder
	b.Write(data)
	for _, st := range e.Steps {
		fmt.Fprintf(&b, " %d/%d", st.pos, st.arg)
	}
	return b.String()
}

// sortKey orders frees first, then deletes, closes, keeps and inserts:
// the order in which a caller applies them.
func (e Effect) sortKey() string {
	order := map[rules.Kind]int{rules.Free: 0, rules.Delete: 1, rules.Close: 2, rules.Keep: 3, rules.Insert: 4}[e.Op]
	return fmt.Sprintf("%d %s", order, e.String())
}

// Empty reports whether the summary says nothing a caller could use.
func (s *Summary) Empty() bool {
	return len(s.Effects) == 0 && len(s.Concrete) == 0 && len(s.Groups) == 0 && len(s.Runs) == 0
}

// Equal reports whether two summaries say the same (nil equals only nil).
func (s *Summary) Equal(t *Summary) bool {
	if s == nil || t == nil {
		return s == t
	}
	return s.String() == t.String()
}

// With returns s with the effects of d added: a declaration adds to what
// the body does, except keep and none, which take away what the body was
// learned to do to that parameter: keep its frees and closes, none all of
// it.
// A declared free or close happens after the deletes the body makes: a
// Close that unregisters itself first is a clean close.
func (s *Summary) With(d *Summary) *Summary {
	out := &Summary{Concrete: s.Concrete, Runs: s.Runs}
	out.Effects = append(out.Effects, s.Effects...)
	for _, e := range d.Effects {
		// What was learned of that parameter is wrong: none takes away all
		// of it (and of what it holds), keep its ends of life.
		out.Effects = slices.DeleteFunc(out.Effects, func(l Effect) bool {
			if l.Object.Base != ParamOperand || l.Object.Pos != e.Object.Pos {
				return false
			}
			return e.Op == rules.None || e.Op == rules.Keep && l.Object.Path == "" && (l.Op == rules.Free || l.Op == rules.Close)
		})
	}
	for _, e := range d.Effects {
		if e.Op == rules.None {
			continue
		}
		if e.Op == rules.Free || e.Op == rules.Close {
			for _, b := range s.Effects {
				if b.Op == rules.Delete {
					e.Before = append(e.Before, b)
				}
			}
		}
		out.Effects = append(out.Effects, e)
	}
	out.Normalize()
	return out
}

// ConcreteResult says that a function's result Result, of interface type,
// always holds a value of the named type (a pointer to it if Ptr).
type ConcreteResult struct {
	Result    int    `json:",omitempty"`
	Pkg, Name string `json:",omitempty"`
	Ptr       bool   `json:",omitempty"`
}

// Group is evidence the partial check rests on: a function that removes
// one object (or the entries under one key) from several indexes together,
// on one path. The other removals of that object should leave all of
// them, or none.
type Group struct {
	// Object is the operand removed: a parameter, or the key parameter
	// for deletes by key.
	Object Operand `json:",omitempty"`
	// Indexes are the indexes it leaves, sorted by name; at least two,
	// each Exported.
	Indexes []IndexID `json:",omitempty"`
	// Where is the position (file:line) of the first removal, for the
	// report's related information.
	Where string `json:",omitempty"`
}

// String renders the group as facts show it: group p1 from Hub.a, Hub.b.
func (g Group) String() string {
	names := make([]string, len(g.Indexes))
	for i, id := range g.Indexes {
		names[i] = id.String()
	}
	return fmt.Sprintf("group %s from %s", g.Object, strings.Join(names, ", "))
}
