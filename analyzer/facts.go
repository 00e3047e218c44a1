package analyzer

import "github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"

// Summary is the fact lifecyclecheck exports for each function whose body
// inserts, deletes or frees something a caller can see: its parameters,
// results, captured variables and the objects reached from them. Callers
// apply it at each call, so the effects compose through call chains and
// across packages.
//
// It has the fields of the engine's summary (package internal/facts),
// and is declared here so that the fact keeps its name in encodings
// (*analyzer.Summary, as gob registers it). The pass converts between the
// two where it imports and exports facts, and nowhere else.
type Summary facts.Summary

// AFact marks Summary as an analysis fact.
func (*Summary) AFact() {}

// String renders the summary as the tests' fact expectations read it:
// lifecycle(free p0; insert p1 into m).
func (s *Summary) String() string { return (*facts.Summary)(s).String() }

// The types and constants of the Summary fact's fields.
type (
	// Effect is one operation of a function on an operand.
	Effect = facts.Effect
	// Operand is an object a summary speaks of.
	Operand = facts.Operand
	// OperandBase says where an operand comes from.
	OperandBase = facts.OperandBase
	// IndexID identifies an index across functions and packages.
	IndexID = facts.IndexID
	// IndexKind says what an index is.
	IndexKind = facts.IndexKind
	// Guard is a condition under which an insert holds at return.
	Guard = facts.Guard
	// Step is one call on the way to an operation.
	Step = facts.Step
	// ConcreteResult says that an interface result always holds one
	// concrete type.
	ConcreteResult = facts.ConcreteResult
)

// The bases of operands and the kinds of indexes (see package
// internal/facts).
const (
	AnyObject      = facts.AnyObject
	ParamOperand   = facts.ParamOperand
	ResultOperand  = facts.ResultOperand
	FreeVarOperand = facts.FreeVarOperand

	GlobalIndex  = facts.GlobalIndex
	FieldIndex   = facts.FieldIndex
	ParamIndex   = facts.ParamIndex
	FreeVarIndex = facts.FreeVarIndex
	LocalIndex   = facts.LocalIndex
)
