package analyzer

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

// findTestedPhis records the phis that branch conditions test.
func (fe *fnEvents) findTestedPhis() {
	fe.testedPhis = make(map[*ssa.Phi]bool)
	var mark func(v ssa.Value)
	mark = func(v ssa.Value) {
		phi, ok := model.Strip(v).(*ssa.Phi)
		if !ok || fe.testedPhis[phi] {
			return
		}
		fe.testedPhis[phi] = true
		for _, e := range phi.Edges {
			mark(e) // what a tested phi is made of is worth knowing too
		}
	}
	for _, b := range fe.m.Fn.Blocks {
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

// findKills records, for each instruction defining the root of an object
// that events speak of, the objects it renews.
func (fe *fnEvents) findKills() {
	tracked := make(map[int]bool)
	for _, evs := range fe.at {
		for _, ev := range evs {
			for _, o := range ev.objs {
				tracked[o] = true
			}
		}
	}
	fe.kills = make(map[ssa.Instruction][]int)
	for id, k := range fe.m.Objs.Keys {
		c := fe.m.Objs.Find(id)
		instr, ok := k.Root.(ssa.Instruction)
		if !ok || !tracked[c] {
			continue
		}
		if !slices.Contains(fe.kills[instr], c) {
			fe.kills[instr] = append(fe.kills[instr], c)
		}
	}
}

// prune keeps, in inserts and reads, only the objects that can matter: those
// freed here and those a caller can see. The others can never be reported
// nor summarised, and would only multiply the states.
func (fe *fnEvents) prune(operands map[int]facts.Operand) {
	freed := make(map[int]bool)
	for _, evs := range fe.at {
		for _, ev := range evs {
			if ev.kind == rules.Free || ev.kind == rules.Close {
				for _, o := range ev.objs {
					freed[o] = true
				}
			}
		}
	}
	for instr, evs := range fe.at {
		kept := evs[:0]
		for _, ev := range evs {
			if ev.kind == rules.Insert || ev.kind == rules.Read {
				useless := func(o int) bool {
					_, visible := operands[o]
					return !freed[o] && !visible
				}
				ev.objs = slices.DeleteFunc(ev.objs, useless)
				ev.identObjs = slices.DeleteFunc(ev.identObjs, useless)
				if len(ev.objs) == 0 && len(ev.identObjs) == 0 && !ev.replace {
					continue
				}
			}
			kept = append(kept, ev)
		}
		if len(kept) == 0 {
			delete(fe.at, instr)
		} else {
			fe.at[instr] = kept
		}
	}
}

// maxRuns bounds the runs of the dataflow per function: objects beyond it
// share runs.
const maxRuns = 16

// runs splits the objects the events speak of into the runs of the
// dataflow: one per object, as property simulation tracks each property
// instance on its own, so that independent objects never multiply each
// other's states. Past maxRuns objects, runs take several objects each,
// which only makes states more numerous (and widened sooner).
func (fe *fnEvents) runs() []map[int]bool {
	var objs []int
	seen := make(map[int]bool)
	for _, b := range fe.m.Fn.Blocks {
		for _, instr := range b.Instrs {
			for _, ev := range fe.at[instr] {
				for _, o := range append(ev.objs, ev.identObjs...) {
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

// needsFlow reports whether the order of events matters: only a function
// that inserts or frees can end with an object in an index or free one.
func (fe *fnEvents) needsFlow() bool {
	reads, deletes := false, false
	for _, evs := range fe.at {
		for _, ev := range evs {
			reads = reads || ev.kind == rules.Read
			deletes = deletes || ev.kind == rules.Delete
			if reads && deletes {
				return true // c := m[k]; delete(m, k); return c: c is no longer in m
			}
			if (ev.kind == rules.Insert && len(ev.objs)+len(ev.identObjs) > 0) || ev.kind == rules.Free || ev.kind == rules.Close || ev.kind == rules.Keep {
				return true
			}
		}
	}
	return false
}

// missTest is what the failing edge of if ok, after v, ok := m[k], tells:
// nothing is stored under k in index idx there.
type missTest struct {
	idx  int
	key  any
	edge int // the successor where ok is false
}

// findMissTests records the branches on the ok of a lookup in an index.
func (fe *fnEvents) findMissTests() {
	fe.misses = make(map[*ssa.If]missTest)
	for _, b := range fe.m.Fn.Blocks {
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
		id, ok := fe.m.IndexOf(lk.X)
		if n, known := fe.idxNum[id]; ok && known {
			fe.misses[ifi] = missTest{idx: n, key: fe.keyIdentity(lk.Index), edge: edge}
		}
	}
}
