package analyzer

import (
	"go/token"
	"go/types"
	"slices"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
)

// Summary is the fact lifecyclecheck exports for each function whose body
// inserts, deletes or frees something a caller can see: its parameters,
// results, captured variables and the objects reached from them. Callers
// apply it at each call, so the effects compose through call chains and
// across packages.
//
// It has the fields of the engine's summary (package internal/facts),
// and is declared here so that the fact keeps its name in encodings
// (*analyzer.Summary, as gob registers it). The pass converts between the
// two where it imports and exports facts (below), and where fixes look
// for unlinkers among the imported facts (unlinkers.go).
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
	// Group is a set of indexes a function removes one object from
	// together.
	Group = facts.Group
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

// FuncSummary returns the summary of a declared function or method.
func (env *passEnv) FuncSummary(obj *types.Func) *facts.Summary {
	if obj == nil {
		return nil
	}
	if obj.Pkg() == env.pass.Pkg {
		return env.byObj[obj]
	}
	var s Summary
	if env.pass.ImportObjectFact(obj, &s) {
		return (*facts.Summary)(&s)
	}
	return nil
}

// Learned is the analyzer's result for one package: the summary of each
// of its declared functions that does something (what it inserts,
// deletes, frees, closes or keeps, and the groups of indexes it removes
// one object from together). lifecyclecheck -learned prints it as a
// rules file.
type Learned struct {
	Summaries map[*types.Func]*Summary
}

// learned returns the package's result: what its functions export.
func (env *passEnv) learned() *Learned {
	out := &Learned{Summaries: make(map[*types.Func]*Summary)}
	for obj, s := range env.byObj {
		if obj.Pkg() != env.pass.Pkg || len(s.Effects) == 0 && len(s.Groups) == 0 {
			continue
		}
		e := env.exportable(s, true)
		// The standard library's own bookkeeping (a context's children)
		// is nothing a maintainer of this package declares.
		e.Effects = slices.DeleteFunc(e.Effects, func(x facts.Effect) bool { return env.Standard(x.Index.Package()) })
		if len(e.Effects) > 0 || len(e.Groups) > 0 {
			out.Summaries[obj] = (*Summary)(e)
		}
	}
	return out
}

// exportFacts exports the summaries of the package's declared functions
// that do something, for the packages that import it, and those of its
// interfaces' methods that have one implementation here.
func (env *passEnv) exportFacts() {
	for obj, s := range env.byObj {
		if !s.Empty() && obj.Pkg() == env.pass.Pkg {
			env.pass.ExportObjectFact(obj, (*Summary)(env.exportable(s, obj.Exported())))
		}
	}
	env.exportInterfaceFacts()
}

// exportInterfaceFacts gives each method of an interface declared here
// the summary of its sole implementation here, so that a call through
// the interface in another package reaches it even when that package
// cannot see the implementing type (an unexported connection behind an
// exported Connection: the export data other packages read, under go vet
// or the package-at-a-time driver, holds only what the exported API
// reaches).
func (env *passEnv) exportInterfaceFacts() {
	scope := env.pass.Pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.IsAlias() || env.inTestFile(tn.Pos()) {
			continue
		}
		named, ok := tn.Type().(*types.Named)
		if !ok {
			continue
		}
		impl := env.soleImplementation(named)
		if impl == nil {
			continue
		}
		for i := range named.Underlying().(*types.Interface).NumExplicitMethods() {
			m := named.Underlying().(*types.Interface).ExplicitMethod(i)
			obj, _, _ := types.LookupFieldOrMethod(impl, true, m.Pkg(), m.Name())
			fn, ok := obj.(*types.Func)
			if !ok {
				continue
			}
			if s := env.FuncSummary(fn.Origin()); s != nil && !s.Empty() {
				env.pass.ExportObjectFact(m, (*Summary)(env.exportable(s, true)))
			}
		}
	}
}

// exportable drops what only this package can use (captured variables)
// and, for functions other packages can call, writes positions out, since
// another process cannot read a token.Pos.
func (env *passEnv) exportable(s *facts.Summary, exported bool) *facts.Summary {
	out := &facts.Summary{Concrete: s.Concrete, Groups: s.Groups, Runs: s.Runs}
	for _, e := range s.Effects {
		if e.Object.Base != facts.FreeVarOperand && e.Index.Kind != facts.FreeVarIndex {
			if exported {
				e.Steps = env.withWhere(e.Steps)
			}
			out.Effects = append(out.Effects, e)
		}
	}
	return out
}

// withWhere writes each step's position out, for other processes: the
// file and line the user reads, and the full position a report points at.
func (env *passEnv) withWhere(steps []facts.Step) []facts.Step {
	out := make([]facts.Step, len(steps))
	for i, s := range steps {
		if s.Where == "" {
			s.Where = env.where(s.Pos())
		}
		if s.At == "" && s.Pos().IsValid() {
			s.At = env.pass.Fset.Position(s.Pos()).String()
		}
		out[i] = s
	}
	return out
}

func (env *passEnv) where(pos token.Pos) string { return env.src.Where(pos) }
