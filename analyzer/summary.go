package analyzer

import (
	"go/token"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

const maxSteps = 8 // calls kept in a witness

// summarizer watches the final pass over a function: it reports defects
// and collects the function's effects on what its callers can see.
type summarizer struct {
	fe       *fnEvents
	rep      *reporter // nil while iterating a recursion to its fixpoint
	operands map[int]Operand
	sum      Summary
	seen     map[effectKey]bool
}

// effectKey identifies an effect while collecting, without formatting it.
type effectKey struct {
	op     rules.Kind
	obj    Operand
	idx    IndexID
	before int // how many deletes precede a free: a cheap proxy, exact keys are made by normalize
}

// add records e, with the witness of ev, unless an equal effect is in.
func (sz *summarizer) add(e Effect, ev *event) {
	k := effectKey{e.Op, e.Object, e.Index, len(e.Before)}
	if sz.seen[k] {
		return
	}
	sz.seen[k] = true
	e.Steps = sz.stepsOf(ev)
	sz.sum.Effects = append(sz.sum.Effects, e)
}

func newSummarizer(fe *fnEvents, rep *reporter) *summarizer {
	return &summarizer{fe: fe, rep: rep, operands: operandsOf(fe.m), seen: make(map[effectKey]bool)}
}

// operandsOf names the objects a caller can see: parameters, results and
// captured variables, and the fields reached from them. Shorter paths win.
func operandsOf(m *funcModel) map[int]Operand {
	bases := make(map[ssa.Value]Operand)
	for i, p := range m.fn.Params {
		bases[p] = Operand{Base: ParamOperand, Pos: i}
	}
	for i, fv := range m.fn.FreeVars {
		bases[fv] = Operand{Base: FreeVarOperand, Pos: i}
	}
	for _, b := range m.fn.Blocks {
		if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			for i, r := range ret.Results {
				for _, id := range m.rawObjects(r) {
					if k := m.objs.keys[id]; k.path == "" {
						bases[k.root] = Operand{Base: ResultOperand, Pos: i}
					}
				}
			}
		}
	}
	out := make(map[int]Operand)
	for id, k := range m.objs.keys {
		base, ok := bases[k.root]
		if !ok {
			continue
		}
		c := m.objs.find(id)
		op := Operand{Base: base.Base, Pos: base.Pos, Path: k.path}
		if old, seen := out[c]; !seen || better(op, old) {
			out[c] = op
		}
	}
	return out
}

func better(a, b Operand) bool {
	la, lb := strings.Count(a.Path, "|"), strings.Count(b.Path, "|")
	if la != lb {
		return la < lb
	}
	return a.Base < b.Base
}

func (sz *summarizer) defect(f inFact, ev *event, deferAt token.Pos) {
	if sz.rep != nil {
		sz.rep.defect(sz.fe, f, ev, deferAt)
	}
}

func (sz *summarizer) freed(s *state, obj int, ev *event) {
	op, ok := sz.operands[obj]
	if !ok {
		return
	}
	e := Effect{Op: rules.Free, Object: op}
	for _, d := range s.deleted {
		if d.obj != -1 && d.obj != obj {
			continue
		}
		if b, ok := sz.deleteEffect(d.obj, d.ev); ok {
			e.Before = append(e.Before, b)
		}
	}
	sz.add(e, ev)
}

func (sz *summarizer) deleted(obj int, ev *event) {
	if e, ok := sz.deleteEffect(obj, ev); ok {
		sz.add(e, ev)
	}
}

func (sz *summarizer) deleteEffect(obj int, ev *event) (Effect, bool) {
	e := Effect{Op: rules.Delete}
	if obj != -1 {
		op, ok := sz.operands[obj]
		if !ok {
			return e, false
		}
		e.Object = op
	}
	if ev.idx != anyIndex {
		id := sz.fe.indexes[ev.idx]
		if id.Kind == LocalIndex {
			return e, false
		}
		e.Index = id
	} else if obj == -1 {
		return e, false
	}
	return e, true
}

func (sz *summarizer) exit(s *state, _ *ssa.Return) {
	for _, f := range s.facts {
		op, ok := sz.operands[f.obj]
		id := sz.fe.indexes[f.idx]
		if !ok || id.Kind == LocalIndex || (f.site.read && op.Base != ResultOperand) {
			continue // what was read from a parameter's index was in it before the call
		}
		sz.add(Effect{Op: rules.Insert, Object: op, Index: id, Node: f.site.ev.node, NodeType: f.site.ev.nodeType}, f.site.ev)
	}
}

// stepsOf is the witness of an event: the calls it came through, or the
// operation itself.
func (sz *summarizer) stepsOf(ev *event) []Step {
	steps := sz.fe.steps(ev)
	if len(steps) == 0 {
		name := "" // an operation of the language: m[k] = v, delete
		if ev.cs != nil {
			name = ev.cs.funcName()
		}
		steps = []Step{{Func: name, pos: ev.pos, arg: ev.arg()}}
	}
	if len(steps) > maxSteps {
		steps = steps[:maxSteps]
	}
	return steps
}

func (sz *summarizer) summary() *Summary {
	s := &Summary{Effects: sz.sum.Effects}
	s.normalize()
	return s
}

// withoutFlow summarises a function that neither inserts nor frees: its
// facts can only come from reads, so order does not matter. It deletes
// whatever its deletes name, and returns what it read out of an index.
func (sz *summarizer) withoutFlow() {
	for _, evs := range sz.fe.at {
		for i := range evs {
			ev := &evs[i]
			switch ev.kind {
			case rules.Delete:
				if ev.objs == nil {
					sz.deleted(-1, ev)
				}
				for _, o := range ev.objs {
					sz.deleted(o, ev)
				}
			case rules.Read:
				s := &state{}
				for _, o := range ev.objs {
					s.add(inFact{obj: o, idx: ev.idx, site: &site{ev: ev, read: true}})
				}
				sz.exit(s, nil)
			}
		}
	}
}
