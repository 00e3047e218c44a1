package analyzer

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/checks"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/report"
)

// partial learns the groups of indexes the package's functions remove one
// subject from together, adds them to the functions' summaries (so that
// they travel to importing packages as facts), and runs the partial check
// on the package's removals against them and the groups imported.
func (env *passEnv) partial(fns []*ssa.Function, rep *report.Reporter) {
	var all []*events.Removals
	var evidence []checks.Evidence
	for _, fn := range fns {
		rs := events.FindRemovals(env, fn)
		if len(rs.Subjects) == 0 {
			continue
		}
		all = append(all, rs)
		groups := checks.LearnGroups(rs, env.where)
		if len(groups) == 0 {
			continue
		}
		if s := env.byFn[fn]; s != nil && fn.Object() != nil {
			s.Groups = groups
		}
		for _, g := range groups {
			evidence = append(evidence, checks.Evidence{Group: g, From: fn.RelString(env.pass.Pkg), Pos: rs.Subjects[0].Removed[0].Pos})
		}
	}
	if len(all) == 0 {
		return
	}
	evidence = append(evidence, env.importedGroups()...)
	checks.Partial(all, evidence, rep)
}

// importedGroups returns the groups learned by the packages this one
// imports, directly or not.
func (env *passEnv) importedGroups() []checks.Evidence {
	var out []checks.Evidence
	for _, f := range env.pass.AllObjectFacts() {
		s, ok := f.Fact.(*Summary)
		fn, isFunc := f.Object.(*types.Func)
		if !ok || !isFunc || len(s.Groups) == 0 || fn.Pkg() == env.pass.Pkg {
			continue
		}
		for _, g := range s.Groups {
			out = append(out, checks.Evidence{Group: g, From: types.ObjectString(fn, types.RelativeTo(env.pass.Pkg))})
		}
	}
	return out
}
