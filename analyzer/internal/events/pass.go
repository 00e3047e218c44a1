package events

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// Pass is what turning a function's instructions into events needs from
// the pass that analyses it: the rules, the summaries of callees, the
// syntax that names calls and arguments, and the package's delegated
// cleanups. The analyzer's pass implements it.
type Pass interface {
	// Rules returns the operations of functions known without their
	// bodies: built-in kinds, the rules file and directives.
	Rules() *rules.Set
	// SummaryOf returns the summary of the function a call reaches, or nil.
	SummaryOf(cs CallSite) *facts.Summary
	// FuncSummary returns the summary of a declared function or method, or nil.
	FuncSummary(obj *types.Func) *facts.Summary
	// InvokeSummary returns the summary of the one method an interface call
	// can reach, when its interface has a sole implementation, or nil.
	InvokeSummary(c *ssa.CallCommon) *facts.Summary
	// LookupType finds the type r names among the packages the pass sees, or nil.
	LookupType(r facts.ConcreteResult) types.Type
	// CallName returns the called function as written: pool.Put.
	CallName(c *ssa.CallCommon) string
	// ArgText returns argument pos of a call (0 is a method call's
	// receiver) as written.
	ArgText(c *ssa.CallCommon, pos int) string
	// Delegations returns the package's delegated cleanups, to which a go
	// statement adds what its goroutine deletes.
	Delegations() Delegations
	// Standard reports whether a package path is the standard library's.
	Standard(path string) bool
}
