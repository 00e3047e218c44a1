package checks

import (
	"cmp"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/flow"
)

// The undo check's evidence from sibling functions. A function with a
// single failing return after its insert has no sibling return to learn
// from; the other functions of its package that insert into the same
// index do: when a request's synchronous form takes its future back on
// every failing return (defer table.Delete(id)), the asynchronous form
// that fails after storing its future and keeps it deviates. Only objects
// the failing function made are judged so (madeHere): when it fails, the
// index holds the only reference; a parameter's owner, the caller, may
// still clean up. Functions
// are counted, not returns: the lone inserts of an index are reported
// where the functions whose failing returns undo their inserts into it
// are at least as many as those whose failing returns keep them
// (Engler's ranking, one vote per function).

// SiblingEvidence is a function of the package whose failing returns
// delete what it inserted into the index: Del is one such delete.
type SiblingEvidence struct {
	Fn  *ssa.Function
	Del *events.Event
}

// Siblings collects the undo check's per-index evidence over a package.
// Each function's record replaces the last when it is analysed again.
type Siblings struct {
	byFn map[*ssa.Function]*siblingRecord
}

type siblingRecord struct {
	fe     *events.FnEvents
	agrees map[facts.IndexID]*events.Event // indexes its failing returns undo inserts into
	lone   []loneInsert                    // inserts every failing return keeps
}

// loneInsert is an insert that every failing return after it keeps, with
// no failing return of its function that undoes it.
type loneInsert struct {
	fact flow.InFact
	rets []*ssa.Return
}

// NewSiblings returns an empty collector for one package.
func NewSiblings() *Siblings { return &Siblings{byFn: make(map[*ssa.Function]*siblingRecord)} }

func (p *Siblings) record(fe *events.FnEvents) *siblingRecord {
	r := &siblingRecord{fe: fe, agrees: make(map[facts.IndexID]*events.Event)}
	p.byFn[fe.M.Fn] = r
	return r
}

// inTest reports whether fn is declared in a _test.go file: a test's
// failing helper is no deviation from what the package's code does.
func inTest(fn *ssa.Function) bool {
	return strings.HasSuffix(fn.Prog.Fset.Position(fn.Pos()).Filename, "_test.go")
}

// Finish reports the lone inserts of each index whose sibling functions
// undo theirs at least as often as not. An index the package sweeps
// (deletes from in a loop, under a condition) keeps what a failing path
// leaves there until it expires, on purpose: no lone insert into it is
// judged.
func (p *Siblings) Finish(rep Reporter, swept map[facts.IndexID]bool) {
	fns := make([]*ssa.Function, 0, len(p.byFn))
	for fn := range p.byFn {
		fns = append(fns, fn)
	}
	slices.SortFunc(fns, func(a, b *ssa.Function) int { return cmp.Compare(a.Pos(), b.Pos()) })
	agreeing := make(map[facts.IndexID][]SiblingEvidence)
	deviating := make(map[facts.IndexID]int)
	for _, fn := range fns {
		r := p.byFn[fn]
		for id, del := range r.agrees {
			agreeing[id] = append(agreeing[id], SiblingEvidence{Fn: fn, Del: del})
		}
		counted := make(map[facts.IndexID]bool)
		for _, l := range r.lone {
			id := r.fe.Indexes[l.fact.Idx]
			if _, agrees := r.agrees[id]; !agrees && !counted[id] {
				counted[id] = true
				deviating[id]++
			}
		}
	}
	for _, fn := range fns {
		r := p.byFn[fn]
		if inTest(fn) {
			continue
		}
		for _, l := range r.lone {
			id := r.fe.Indexes[l.fact.Idx]
			ev := agreeing[id]
			if len(ev) == 0 || deviating[id] > len(ev) || swept[id] {
				continue
			}
			for _, ret := range l.rets {
				rep.UndoSiblings(r.fe, l.fact, ret, ev)
			}
		}
	}
}
