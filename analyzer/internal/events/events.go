// Package events turns a function's SSA instructions into lifecycle
// events, in terms of the objects and indexes of its model: inserts,
// reads, deletes, frees, closes and keeps, each at its instruction. A map
// update, a lookup, a range, delete and clear, close(ch) and the built-in
// kinds (sync.Map, container/list) are read from the instruction itself; a
// call applies its callee's summary with the actual arguments substituted
// (calls.go), then what rules and directives declare of it, then the
// object's own Close, Shutdown or Stop (ends.go). Identity by key
// (identity.go), the concrete method of an interface call (concrete.go),
// the mutexes held (locks.go) and the trimming and annotations the
// dataflow needs (prepare.go) complete a function's events. What it needs
// of the pass that analyses it (callee summaries, the rules, the syntax
// that names things) comes through the Pass interface (pass.go).
package events

import (
	"go/token"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// AnyIndex is the index of an event that acts on an object wherever it
// is held (a free, a close, a delete of an object from every index).
const AnyIndex = -1

// An Event is one lifecycle operation at an instruction, in terms of the
// function's objects and indexes. The engine interprets events; it never
// looks at SSA itself.
type Event struct {
	Kind rules.Kind
	Objs []int // canonical object ids; nil with Delete: every object of idx
	// IdentObjs are the objects an insert stores under their identity (a
	// key that is one of their fields, or their key in another index):
	// they are in the index for their lifecycle, but no pointer to their
	// memory is.
	IdentObjs []int
	Idx       int // position in FnEvents.Indexes, or AnyIndex
	// Key identifies the map key of an insert; Replace says the insert first
	// drops the entry under an equal key (m[k] = v).
	Key     any
	Replace bool
	Pos     token.Pos
	Before  []Event
	Fix     *FixSource
	// How the event reads to the user is worked out only for reports and
	// facts: the call it happens at, the argument (argPos, or -1) or callee
	// operand naming the object, and the callee's own witness.
	CS          *CallSite
	argPos      int
	operand     facts.Operand
	calleeSteps []facts.Step
	Learned     bool   // the event applies a callee's summary
	Node        string // for an insert: the field path to the intrusive node linked
	NodeType    string // and the node's type
	// Guard, for an insert learned from a callee that inserts only when it
	// returns, say, a nil error: the condition, on the call's result, under
	// which the object went in.
	Guard *model.Cond
	// MapKey, for a map insert, is how the key is reached from the object
	// (see Effect.MapKey); keyed says it is known.
	MapKey string
	Keyed  bool
	// KeyVal is the key value of an insert that replaces by key, from
	// which a summary tells callers which entry it replaced.
	KeyVal ssa.Value
	// DelKey is the key of a delete(m, k): the delete counts for every
	// object of the index, DelKey tells summaries which one was meant.
	DelKey ssa.Value
	// ByKey marks a delete learned from a callee's replacing insert: it
	// drops the entry stored under key, not every object of the index.
	ByKey bool
	// Instr is the instruction the event happens at.
	Instr ssa.Instruction
	// Locked, for an insert a callee made, says the callee held a mutex
	// when it made it.
	Locked bool
	// Creates, for a read, says the same call may insert what it returns
	// (LoadOrStore: get or create).
	Creates bool
	// Found, for an insert learned from a callee, says the callee read
	// the object out of the index rather than put it in (Effect.Read).
	Found bool
	// Spawned marks an event of a goroutine started here: a close is
	// reported as the goroutine's, at the go statement.
	Spawned bool
	// async marks an event a callee's summary says a goroutine it starts
	// makes (facts.Effect.Async).
	async bool
	// Ran marks an event of a function the call runs (a closure passed
	// to a transaction helper): the call may still fail after it.
	Ran bool
	// Maybe marks a close a callee makes on some paths only, for a reason
	// the caller cannot see (facts.Effect.Maybe): no report rests on it,
	// but a check that a close would excuse is excused (when in doubt,
	// silent).
	Maybe bool
}

// Async reports whether a goroutine makes the event: one started here,
// or one a callee starts.
func (ev *Event) Async() bool { return ev.Spawned || ev.async }

// What names the operation as the user reads it: pool.Put, release.
func (fe *FnEvents) What(ev *Event) string {
	if ev.CS == nil {
		return ""
	}
	return fe.pass.CallName(ev.CS.Common)
}

// ObjName names the object as the user reads it: p, r.px.
func (fe *FnEvents) ObjName(ev *Event) string {
	switch {
	case ev.CS == nil:
		return ""
	case ev.argPos >= 0:
		return fe.argText(*ev.CS, ev.argPos)
	case ev.operand.Base != facts.AnyObject:
		return fe.operandName(*ev.CS, ev.operand)
	}
	return ""
}

// Steps is the witness of a learned event: this call, then the callee's.
func (fe *FnEvents) Steps(ev *Event) []facts.Step {
	if !ev.Learned {
		return nil
	}
	out := make([]facts.Step, 0, 1+len(ev.calleeSteps))
	out = append(out, facts.NewStep(ev.CS.FuncName(), ev.Pos, ev.Arg()))
	return append(out, ev.calleeSteps...)
}

// Arg is 1 + the position of the argument naming the object, or 0.
func (ev *Event) Arg() int {
	switch {
	case ev.argPos >= 0:
		return ev.argPos + 1
	case ev.operand.Base == facts.ParamOperand && ev.operand.Path == "":
		return ev.operand.Pos + 1
	}
	return 0
}

// FnEvents is a function's events, per instruction.
type FnEvents struct {
	pass    Pass
	rules   *rules.Set
	M       *model.FuncModel // the function's objects
	Indexes []facts.IndexID  // the indexes its events name, by Event.Idx
	idxNum  map[facts.IndexID]int
	At      map[ssa.Instruction][]Event // the events of each instruction, in order
	// Kills maps an instruction to the objects it makes anew when it runs
	// again (a loop's next iteration): facts about the old ones end there.
	Kills map[ssa.Instruction][]int
	// TestedPhis are the phis a branch tests (x == nil, or a bool phi).
	TestedPhis map[*ssa.Phi]bool
	stores     []*ssa.Store                // stores of maps, for snapshotOfReplaced
	locks      map[ssa.Instruction]LockSet // mutexes held, computed for fixes
	Misses     map[*ssa.If]MissTest        // branches on a lookup's ok
	Seeds      []Seed                      // parameters the flow starts with in an index (seeds.go)
}

func (fe *FnEvents) index(id facts.IndexID) int {
	if n, ok := fe.idxNum[id]; ok {
		return n
	}
	fe.Indexes = append(fe.Indexes, id)
	fe.idxNum[id] = len(fe.Indexes) - 1
	return len(fe.Indexes) - 1
}

// Build translates every instruction of m's function.
func Build(p Pass, m *model.FuncModel) *FnEvents {
	fe := &FnEvents{pass: p, rules: p.Rules(), M: m, idxNum: make(map[facts.IndexID]int), At: make(map[ssa.Instruction][]Event)}
	for _, b := range m.Fn.Blocks {
		for _, instr := range b.Instrs {
			if evs := fe.instrEvents(instr); len(evs) > 0 {
				for i := range evs {
					evs[i].Instr = instr
				}
				fe.At[instr] = evs
			}
		}
	}
	fe.shareKeys()
	return fe
}

// IndexName names index number i of the function as the user reads it.
func (fe *FnEvents) IndexName(i int) string {
	id := fe.Indexes[i]
	fn := fe.M.Fn
	switch {
	case id.Kind == facts.ParamIndex && id.Pos < len(fn.Params):
		return fn.Params[id.Pos].Name()
	case id.Kind == facts.FreeVarIndex && id.Pos < len(fn.FreeVars):
		return fn.FreeVars[id.Pos].Name()
	}
	return id.String()
}

// FixSource says how to derive the fix of an insert, once a report needs it.
type FixSource struct {
	MapUpdate *ssa.MapUpdate // m[k] = v: the fix is delete(m, k)
	CS        *CallSite      // a sync.Map insert: the fix is m.Delete(k)
}

// StandardIndex reports whether index idx belongs to the standard library
// (a context's children): the evidence checks leave those alone.
func (fe *FnEvents) StandardIndex(idx int) bool {
	return idx >= 0 && fe.pass.Standard(fe.Indexes[idx].Package())
}
