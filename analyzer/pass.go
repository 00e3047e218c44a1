package analyzer

import (
	"go/build"
	"golang.org/x/tools/go/ssa"
	"strings"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/report"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// The pass answers what the layers below ask of it: the events of a
// function need the rules, callee summaries, calls and arguments as
// written and the package's delegations (events.Pass); fixes need
// summaries and unlinkers (report.Lookup).
var (
	_ events.Pass   = (*passEnv)(nil)
	_ report.Lookup = (*passEnv)(nil)
)

// SummaryOf returns the summary of the function a call reaches, from this
// package's analysis or from the fact its own package exported.
func (env *passEnv) SummaryOf(cs events.CallSite) *facts.Summary {
	fn := cs.Callee
	if fn == nil {
		return nil
	}
	if o := fn.Origin(); o != nil {
		fn = o
	}
	if s, ok := env.byFn[fn]; ok {
		return s
	}
	return env.FuncSummary(cs.FuncObject())
}

// Rules returns the operations of functions known without their bodies.
func (env *passEnv) Rules() *rules.Set { return env.cfg.Rules }

// CallName returns the called function as written.
func (env *passEnv) CallName(c *ssa.CallCommon) string { return env.src.CallName(c) }

// ArgText returns argument pos of a call as written.
func (env *passEnv) ArgText(c *ssa.CallCommon, pos int) string { return env.src.ArgText(c, pos) }

// Delegations returns the package's delegated cleanups.
func (env *passEnv) Delegations() events.Delegations { return env.delegated }

// Standard reports whether path is a package of the standard library: a
// package GOROOT holds (a path without a dot in its first element is not
// enough: analysistest's packages have none). Answers are kept per pass.
func (env *passEnv) Standard(path string) bool {
	if std, ok := env.std[path]; ok {
		return std
	}
	std := false
	if first, _, _ := strings.Cut(path, "/"); !strings.Contains(first, ".") {
		if p, err := build.Default.Import(path, "", build.FindOnly); err == nil {
			std = p.Goroot
		}
	}
	env.std[path] = std
	return std
}
