package checks

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
)

// A stale key is the closed check's removal that removes nothing. A
// removal that reads an object's keys from one of its fields (delete(m,
// s.key), or a loop deleting each of s.addrs) finds them gone when the
// object's close has cleared that field first: the closed object stays in
// the index under the keys it had. It is reported at the clear, when a
// removal of an object of that type from an index holding that type reads
// the cleared field after the object's close: in the same function after
// a call of the close method on that object, or in a function called
// after a receive from a channel the close method closes (a goroutine
// waiting for the close to clean up). A close that clears the field only
// on some paths, or that removes the object from that index itself, is
// no such defect.

// StaleKeyReporter receives the stale-key defects.
type StaleKeyReporter interface {
	// StaleKey: cc's close clears the field rm reads its keys from, and
	// rm runs in fn after the close (sig); call is the call of fn after
	// sig when rm is in a callee, else nil.
	StaleKey(cc *events.CloseClears, rm events.KeyRemoval, fn *ssa.Function, sig events.CloseSignal, call *ssa.Call)
}

// CloseOf describes a type's close method: its clears, and the indexes
// it removes its receiver from (nil when the type has no close method).
type CloseOf func(*types.Named) (*events.CloseClears, []facts.IndexID)

// StaleKeys judges fns' removals after a close against what the close
// clears.
func StaleKeys(fns []*ssa.Function, closeOf CloseOf, rep StaleKeyReporter) {
	clears := func(t *types.Named) *events.CloseClears {
		cc, _ := closeOf(t)
		return cc
	}
	removals := make(map[*ssa.Function][]events.KeyRemoval) // a callee's, read once
	keyRemovals := func(fn *ssa.Function) []events.KeyRemoval {
		rs, seen := removals[fn]
		if !seen {
			rs = events.FieldKeyRemovals(fn)
			removals[fn] = rs
		}
		return rs
	}
	for _, fn := range fns {
		for _, sig := range events.CloseSignals(fn, clears) {
			cc, removes := closeOf(sig.Type)
			if len(cc.Cleared) == 0 {
				continue
			}
			for _, instr := range events.After(sig.Instr) {
				if rm, ok := events.RemovalAt(instr); ok && rm.From.Obj == sig.Obj && stale(cc, removes, rm, sig.Type) {
					rep.StaleKey(cc, rm, fn, sig, nil)
					continue
				}
				call, ok := instr.(*ssa.Call)
				if !ok {
					continue
				}
				callee := call.Call.StaticCallee()
				if callee == nil || callee == cc.Fn || callee.Blocks == nil {
					continue
				}
				for _, rm := range keyRemovals(callee) {
					if stale(cc, removes, rm, sig.Type) {
						rep.StaleKey(cc, rm, callee, sig, call)
					}
				}
			}
		}
	}
}

// stale reports whether rm, a removal of objects of type t, reads its
// keys from a field t's close clears, from an index the close does not
// remove them from itself.
func stale(cc *events.CloseClears, removes []facts.IndexID, rm events.KeyRemoval, t *types.Named) bool {
	if rm.From.Type != t || rm.Value != t || cc.Cleared[rm.From.Field] == nil {
		return false
	}
	for _, id := range removes {
		if id == rm.Idx {
			return false
		}
	}
	return true
}
