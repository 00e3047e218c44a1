package events

import (
	"go/token"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// Before the dataflow, a function's events are trimmed to what can matter
// and annotated with what the flow needs beyond them.

// FindTestedPhis records the phis that branch conditions test.
func (fe *FnEvents) FindTestedPhis() {
	fe.TestedPhis = make(map[*ssa.Phi]bool)
	var mark func(v ssa.Value)
	mark = func(v ssa.Value) {
		phi, ok := model.Strip(v).(*ssa.Phi)
		if !ok || fe.TestedPhis[phi] {
			return
		}
		fe.TestedPhis[phi] = true
		for _, e := range phi.Edges {
			mark(e) // what a tested phi is made of is worth knowing too
		}
	}
	for _, b := range fe.M.Fn.Blocks {
		ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		c := ifi.Cond
		if u, ok := c.(*ssa.UnOp); ok && u.Op == token.NOT {
			c = u.X
		}
		if bin, ok := c.(*ssa.BinOp); ok && (bin.Op == token.EQL || bin.Op == token.NEQ) {
			mark(bin.X)
			mark(bin.Y)
		} else {
			mark(c)
		}
	}
}

// FindKills records, for each instruction defining the root of an object
// that events speak of, the objects it renews.
func (fe *FnEvents) FindKills() {
	tracked := make(map[int]bool)
	for _, evs := range fe.At {
		for _, ev := range evs {
			for _, o := range ev.Objs {
				tracked[o] = true
			}
		}
	}
	fe.Kills = make(map[ssa.Instruction][]int)
	for id, k := range fe.M.Objs.Keys {
		c := fe.M.Objs.Find(id)
		instr, ok := k.Root.(ssa.Instruction)
		if !ok || !tracked[c] {
			continue
		}
		if !slices.Contains(fe.Kills[instr], c) {
			fe.Kills[instr] = append(fe.Kills[instr], c)
		}
	}
}

// Prune keeps, in inserts and reads, only the objects that can matter: those
// freed here, those a caller can see, and, in a function that can fail,
// those inserted into an index it, or another function of the package
// (pkgDeleted), deletes from (the undo check compares failing paths,
// its own and its siblings'). The others can never be reported nor
// summarised, and would only multiply the states.
func (fe *FnEvents) Prune(operands map[int]facts.Operand, pkgDeleted map[facts.IndexID]bool) {
	freed := make(map[int]bool)
	deleted := make(map[int]bool) // indexes deleted from
	for _, evs := range fe.At {
		for _, ev := range evs {
			if ev.Kind == rules.Free || ev.Kind == rules.Close {
				for _, o := range ev.Objs {
					freed[o] = true
				}
			}
			if ev.Kind == rules.Delete {
				deleted[ev.Idx] = true
			}
		}
	}
	canFail := model.ReturnsError(fe.M.Fn)
	if !canFail {
		clear(deleted)
	}
	for instr, evs := range fe.At {
		kept := evs[:0]
		for _, ev := range evs {
			if ev.Kind == rules.Insert || ev.Kind == rules.Read {
				undoable := ev.Kind == rules.Insert && ev.Idx != AnyIndex && fe.Indexes[ev.Idx].Exported() &&
					(deleted[ev.Idx] || canFail && pkgDeleted[fe.Indexes[ev.Idx]])
				useless := func(o int) bool {
					_, visible := operands[o]
					return !freed[o] && !visible && !undoable
				}
				ev.Objs = slices.DeleteFunc(ev.Objs, useless)
				ev.IdentObjs = slices.DeleteFunc(ev.IdentObjs, useless)
				if len(ev.Objs) == 0 && len(ev.IdentObjs) == 0 && !ev.Replace {
					continue
				}
			}
			kept = append(kept, ev)
		}
		if len(kept) == 0 {
			delete(fe.At, instr)
		} else {
			fe.At[instr] = kept
		}
	}
}

// maxRuns bounds the runs of the dataflow per function: objects beyond it
// share runs.
const maxRuns = 16

// Runs splits the objects the events speak of into the runs of the
// dataflow: one per object, as property simulation tracks each property
// instance on its own, so that independent objects never multiply each
// other's states. Past maxRuns objects, runs take several objects each,
// which only makes states more numerous (and widened sooner).
func (fe *FnEvents) Runs() []map[int]bool {
	var objs []int
	seen := make(map[int]bool)
	for _, b := range fe.M.Fn.Blocks {
		for _, instr := range b.Instrs {
			for _, ev := range fe.At[instr] {
				for _, o := range append(ev.Objs, ev.IdentObjs...) {
					if !seen[o] {
						seen[o] = true
						objs = append(objs, o)
					}
				}
			}
		}
	}
	n := min(len(objs), maxRuns)
	if n == 0 {
		return []map[int]bool{{}}
	}
	out := make([]map[int]bool, n)
	for i := range out {
		out[i] = make(map[int]bool)
	}
	for i, o := range objs {
		out[i%n][o] = true
	}
	return out
}

// NeedsFlow reports whether the order of events matters: only a function
// that inserts or frees can end with an object in an index or free one.
func (fe *FnEvents) NeedsFlow() bool {
	reads, deletes := false, false
	for _, evs := range fe.At {
		for _, ev := range evs {
			reads = reads || ev.Kind == rules.Read
			deletes = deletes || ev.Kind == rules.Delete
			if reads && deletes {
				return true // c := m[k]; delete(m, k); return c: c is no longer in m
			}
			if (ev.Kind == rules.Insert && len(ev.Objs)+len(ev.IdentObjs) > 0) || ev.Kind == rules.Free || ev.Kind == rules.Close || ev.Kind == rules.Keep {
				return true
			}
		}
	}
	return false
}

// MissTest is what the failing edge of if ok, after v, ok := m[k], tells:
// nothing is stored under k in index idx there.
type MissTest struct {
	Idx  int // the index looked up
	Key  any // the key's identity
	Edge int // the successor where ok is false
}

// FindMissTests records the branches on the ok of a lookup in an index.
func (fe *FnEvents) FindMissTests() {
	fe.Misses = make(map[*ssa.If]MissTest)
	for _, b := range fe.M.Fn.Blocks {
		ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		c, edge := ifi.Cond, 1
		if u, ok := c.(*ssa.UnOp); ok && u.Op == token.NOT {
			c, edge = u.X, 0
		}
		ex, ok := c.(*ssa.Extract)
		if !ok || ex.Index != 1 {
			continue
		}
		lk, ok := ex.Tuple.(*ssa.Lookup)
		if !ok || !lk.CommaOk {
			continue
		}
		id, ok := fe.M.IndexOf(lk.X)
		if n, known := fe.idxNum[id]; ok && known {
			fe.Misses[ifi] = MissTest{Idx: n, Key: fe.keyIdentity(lk.Index), Edge: edge}
		}
	}
}
