package checks

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
)

// A bulk teardown is the closed check's owner close that ends every
// object of an index and leaves them there. When the objects' type has
// a per-object close (a function that deletes one from that index and
// ends it or what it holds), the teardown deviates from it: a later
// per-object close, or a lookup, still finds the ended object (and
// releases its accounting a second time). It is reported at the end in
// the loop, once per function and index, citing the per-object close. A
// teardown that empties, resets or removes from the index is none; a
// function that is itself a per-object close is none either.

// BulkReporter receives the bulk-teardown defects.
type BulkReporter interface {
	// Bulk: b ends the objects of b.Idx in a loop and leaves them there,
	// while per deletes one from b.Idx when it ends it.
	Bulk(b events.BulkEnd, per events.PerObjectClose)
}

// Bulk judges the package's teardowns against its per-object closes.
func Bulk(pers []events.PerObjectClose, bulks []events.BulkEnd, rep BulkReporter) {
	type key struct {
		t   *types.Named
		idx facts.IndexID
	}
	closes := make(map[key]events.PerObjectClose)
	closers := make(map[*ssa.Function]bool)
	for _, p := range pers {
		k := key{p.Type, p.Idx}
		if _, seen := closes[k]; !seen {
			closes[k] = p
		}
		closers[p.Fn] = true
	}
	done := make(map[[2]any]bool)
	for _, b := range bulks {
		per, ok := closes[key{b.Type, b.Idx}]
		if !ok || closers[b.Fn] || per.Fn == b.Fn || done[[2]any{b.Fn, b.Idx}] {
			continue
		}
		done[[2]any{b.Fn, b.Idx}] = true
		rep.Bulk(b, per)
	}
}
