package analyzer

import (
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis/passes/buildssa"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/checks"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/report"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// partial learns the groups of indexes the package's functions remove one
// subject from together, adds them to the functions' summaries (so that
// they travel to importing packages as facts), and runs the partial check
// on the package's removals against them and the groups imported, and on
// the relations its functions keep in two nested maps, both ways.
func (env *passEnv) partial(fns []*ssa.Function, rep *report.Reporter) {
	var all []*events.Removals
	var evidence []checks.Evidence
	var rels []*events.Relations
	var revs []*events.Reverse
	for _, fn := range fns {
		rel, rev := events.FindRelations(fn)
		if len(rel.Inserts)+len(rel.Removals) > 0 {
			rels = append(rels, rel)
		}
		if len(rev.Stores)+len(rev.Removals) > 0 {
			revs = append(revs, rev)
		}
		rs := events.FindRemovals(env, fn)
		if len(rs.Subjects) == 0 {
			continue
		}
		all = append(all, rs)
		inserted, insAt := checks.LearnInsertGroups(rs)
		for i, g := range inserted {
			evidence = append(evidence, checks.Evidence{Group: g, From: fn.RelString(env.pass.Pkg), Pos: insAt[i], Inserted: true})
		}
		groups, at := checks.LearnGroups(rs, env.where)
		if len(groups) == 0 {
			continue
		}
		if s := env.byFn[fn]; s != nil && fn.Object() != nil {
			s.Groups = groups
		}
		for i, g := range groups {
			evidence = append(evidence, checks.Evidence{Group: g, From: fn.RelString(env.pass.Pkg), Pos: at[i]})
		}
	}
	if pairs := checks.InversePairs(rels); len(pairs) > 0 {
		checks.Inverse(rels, pairs, rep)
	}
	if len(revs) > 0 {
		checks.ReverseIndexes(revs, rep)
	}
	if len(all) == 0 {
		return
	}
	evidence = append(evidence, env.importedGroups(all)...)
	evidence = append(evidence, env.declaredGroups(all)...)
	checks.Partial(all, evidence, rep)
}

// declaredGroups returns the groups the rules file declares (groups:),
// with the indexes named as the package's removals name them.
func (env *passEnv) declaredGroups(all []*events.Removals) []checks.Evidence {
	if env.cfg.Rules == nil || len(env.cfg.Rules.Groups) == 0 {
		return nil
	}
	known := make(map[string]facts.IndexID)
	for _, rs := range all {
		for _, s := range rs.Subjects {
			for _, r := range s.Removed {
				known[r.Idx.Name] = r.Idx
			}
		}
	}
	var out []checks.Evidence
	for _, names := range env.cfg.Rules.Groups {
		g := facts.Group{Object: facts.Operand{Base: facts.AnyObject}, Where: "the rules file"}
		for _, n := range names {
			id, ok := known[n]
			if !ok {
				id = facts.IndexID{Kind: facts.FieldIndex, Name: n} // not removed from here: it can only be left
				if strings.Count(n[strings.LastIndex(n, "/")+1:], ".") == 1 {
					id.Kind = facts.GlobalIndex
				}
			}
			g.Indexes = append(g.Indexes, id)
		}
		out = append(out, checks.Evidence{Group: g, From: "the rules file", Declared: true})
	}
	return out
}

// importedGroups returns the groups learned by the packages that declare
// the indexes this package removes from (the only groups its removals can
// deviate from), read from the facts of their functions and methods.
func (env *passEnv) importedGroups(all []*events.Removals) []checks.Evidence {
	owners := make(map[string]bool)
	for _, rs := range all {
		for _, s := range rs.Subjects {
			for _, r := range s.Removed {
				if p := r.Idx.Package(); p != env.pass.Pkg.Path() {
					owners[p] = true
				}
			}
		}
	}
	var out []checks.Evidence
	for _, pkg := range importedPackages(env.pass.Pkg, owners) {
		for _, fn := range declaredFuncs(pkg) {
			var s Summary
			if !env.pass.ImportObjectFact(fn, &s) {
				continue
			}
			for _, g := range s.Groups {
				out = append(out, checks.Evidence{Group: g, From: types.ObjectString(fn, types.RelativeTo(env.pass.Pkg))})
			}
		}
	}
	return out
}

// importedPackages returns the packages among pkg's imports, direct or
// not, whose paths are in paths, in a stable order.
func importedPackages(pkg *types.Package, paths map[string]bool) []*types.Package {
	if len(paths) == 0 {
		return nil
	}
	var out []*types.Package
	seen := make(map[*types.Package]bool)
	var visit func(p *types.Package)
	visit = func(p *types.Package) {
		for _, imp := range p.Imports() {
			if seen[imp] {
				continue
			}
			seen[imp] = true
			if paths[imp.Path()] {
				out = append(out, imp)
			}
			visit(imp)
		}
	}
	visit(pkg)
	slices.SortFunc(out, func(a, b *types.Package) int { return strings.Compare(a.Path(), b.Path()) })
	return out
}

// declaredFuncs returns a package's functions and the methods of its
// named types.
func declaredFuncs(pkg *types.Package) []*types.Func {
	var out []*types.Func
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		switch o := scope.Lookup(name).(type) {
		case *types.Func:
			out = append(out, o)
		case *types.TypeName:
			if n, ok := o.Type().(*types.Named); ok {
				for m := range n.Methods() {
					out = append(out, m)
				}
			}
		}
	}
	return out
}

// unregister runs the unregister check on the package's constructors and
// the close methods of the types they make.
func (env *passEnv) unregister(rep *report.Reporter) {
	var ctors []*types.Func
	for obj, s := range env.byObj {
		if obj.Pkg() == env.pass.Pkg && len(s.Effects) > 0 && obj.Signature().Results().Len() > 0 {
			ctors = append(ctors, obj)
		}
	}
	if len(ctors) == 0 {
		return
	}
	slices.SortFunc(ctors, func(a, b *types.Func) int { return int(a.Pos() - b.Pos()) })
	var regs []checks.Registration
	for _, ctor := range ctors {
		resultTypes := func(pos int) []*types.Named { return env.returnedTypes(ctor, pos) }
		for _, reg := range checks.Registered(ctor, env.byObj[ctor], resultTypes, env.closeMethodOf) {
			if env.Standard(reg.Insert.Index.Package()) {
				continue // the standard library's own bookkeeping (a context's children)
			}
			if checks.RefCounted(env.ssaFunc(reg.Close)) {
				continue // its close releases one reference; the registry keeps it for the others
			}
			if env.swept[reg.Insert.Index] {
				continue // the registry sweeps out what it holds (a generation GC): retention on purpose
			}
			reg.Sum = env.byObj[reg.Close]
			reg.Exits = env.closeExits[env.ssaFunc(reg.Close)]
			regs = append(regs, reg)
		}
	}
	deleted := env.deletedTypes()
	checks.Unregister(regs, func(id facts.IndexID, t types.Type) bool {
		t = events.DerefAll(t)
		return slices.ContainsFunc(deleted[id], func(u types.Type) bool { return u == nil || types.Identical(u, t) })
	}, unregisterReporter{env, rep})
}

// returnedTypes returns the named types T of the *T values (or T values)
// that ctor returns as its result pos, an interface: what its returns put
// in it, conversions and type assertions seen through.
func (env *passEnv) returnedTypes(ctor *types.Func, pos int) []*types.Named {
	fn := env.ssaFunc(ctor)
	if fn == nil {
		return nil
	}
	var out []*types.Named
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || pos >= len(ret.Results) {
			continue
		}
		for _, t := range env.concreteTypes(ret.Results[pos], nil) {
			if n := namedOrPointee(t); n != nil && !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return out
}

// concreteTypes returns the concrete types an interface value v can hold
// where the function shows them: what a MakeInterface wraps, what a type
// assertion asserts, through phis, and what a callee's summary says its
// result holds. seen guards against phi cycles.
func (env *passEnv) concreteTypes(v ssa.Value, seen map[ssa.Value]bool) []types.Type {
	if seen[v] {
		return nil
	}
	if seen == nil {
		seen = make(map[ssa.Value]bool)
	}
	seen[v] = true
	switch x := v.(type) {
	case *ssa.MakeInterface:
		return env.concreteTypes(x.X, seen)
	case *ssa.ChangeInterface:
		return env.concreteTypes(x.X, seen)
	case *ssa.TypeAssert:
		if !x.CommaOk && !types.IsInterface(x.AssertedType) {
			return []types.Type{x.AssertedType}
		}
	case *ssa.Phi:
		var out []types.Type
		for _, e := range x.Edges {
			out = append(out, env.concreteTypes(e, seen)...)
		}
		return out
	}
	if !types.IsInterface(v.Type()) {
		return []types.Type{v.Type()}
	}
	if t := events.ConcreteType(env, v); t != nil {
		return []types.Type{t} // a call whose summary names the type
	}
	return nil
}

// namedOrPointee returns T for a named type T or a *T, else nil.
func namedOrPointee(t types.Type) *types.Named {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	n, _ := types.Unalias(t).(*types.Named)
	return n
}

// closeMethodOf returns the method of *t, declared in this package, that
// ends a t: Close, Shutdown or Stop; not the Stop of a type that can be
// started again (a stopwatch's Stop ends a phase, not its life).
func (env *passEnv) closeMethodOf(t *types.Named) *types.Func {
	ptr := types.NewPointer(t)
	ms := types.NewMethodSet(ptr)
	for _, name := range []string{"Close", "Shutdown", "Stop"} {
		if name == "Stop" && events.Resumable(ptr) {
			continue
		}
		if sel := ms.Lookup(env.pass.Pkg, name); sel != nil {
			if fn, ok := sel.Obj().(*types.Func); ok && fn.Pkg() == env.pass.Pkg {
				return fn
			}
		}
	}
	return nil
}

// deletedTypes returns, per index, the concrete types of the objects some
// function of the package deletes from it: the object deleted, or the
// object a delete by key took its key from (delete(m, c.id) deletes a
// *conn). An object of an interface type (a registry's generic Del) names
// no type: the callers that pass it theirs do. A delete by a plain key a
// parameter gives (deleteStream(num)) may remove an object of any type:
// it is recorded as nil, which excuses every type (when in doubt,
// silent). A key from nowhere a caller sees (a range over the index, a
// reset: an owner's teardown) is no evidence for any object.
func (env *passEnv) deletedTypes() map[facts.IndexID][]types.Type {
	out := make(map[facts.IndexID][]types.Type)
	note := func(fn *ssa.Function, e facts.Effect) {
		o := e.Object
		if o.Base == facts.AnyObject {
			if e.By == nil {
				return // a key from nowhere a caller sees (a range, a reset): no one's evidence
			}
			o = *e.By
		}
		t := operandBaseType(fn, o)
		switch {
		case t != nil && types.IsInterface(t):
			return
		case t == nil || o.Path == "" && !isStruct(t):
			t = nil // a plain key
		}
		if !slices.ContainsFunc(out[e.Index], func(u types.Type) bool { return u == t || u != nil && t != nil && types.Identical(u, t) }) {
			out[e.Index] = append(out[e.Index], t)
		}
	}
	for fn, s := range env.byFn {
		for _, e := range s.Effects {
			if e.Op == rules.Delete {
				note(fn, e)
			}
			for _, b := range e.Before {
				note(fn, b)
			}
		}
	}
	return out
}

// isStruct reports whether t is a struct type: an object, not a plain key.
func isStruct(t types.Type) bool {
	_, ok := t.Underlying().(*types.Struct)
	return ok
}

// operandBaseType returns the type of the parameter or captured variable
// an operand of fn starts from, pointers stripped; nil for others.
func operandBaseType(fn *ssa.Function, o facts.Operand) types.Type {
	var v ssa.Value
	switch {
	case o.Base == facts.ParamOperand && o.Pos < len(fn.Params):
		v = fn.Params[o.Pos]
	case o.Base == facts.FreeVarOperand && o.Pos < len(fn.FreeVars):
		v = fn.FreeVars[o.Pos]
	default:
		return nil
	}
	return events.DerefAll(v.Type())
}

// unregisterReporter finds the close method's function for the reporter.
type unregisterReporter struct {
	env *passEnv
	rep *report.Reporter
}

func (u unregisterReporter) Unregister(reg checks.Registration, skipped *ssa.Return) {
	if fn := u.env.ssaFunc(reg.Close); fn != nil {
		u.rep.Unregister(fn, reg, skipped)
	}
}

// ssaFunc returns the SSA function of a declared function of the package.
func (env *passEnv) ssaFunc(obj *types.Func) *ssa.Function {
	return env.pass.ResultOf[buildssa.Analyzer].(*buildssa.SSA).Pkg.Prog.FuncValue(obj)
}

// staleKeys runs the closed check's stale-key rule: removals after a
// close that read the keys the close has cleared.
func (env *passEnv) staleKeys(fns []*ssa.Function, rep *report.Reporter) {
	type closeInfo struct {
		cc      *events.CloseClears
		removes []facts.IndexID
	}
	memo := make(map[*types.Named]*closeInfo)
	closeOf := func(t *types.Named) (*events.CloseClears, []facts.IndexID) {
		ci, seen := memo[t]
		if !seen {
			if fn := env.closeMethodOf(t); fn != nil && fn.Pkg() == env.pass.Pkg {
				ci = &closeInfo{cc: events.FindCloseClears(env.ssaFunc(fn))}
				if s := env.byObj[fn]; s != nil {
					for _, e := range s.Effects {
						if e.Op == rules.Delete {
							ci.removes = append(ci.removes, e.Index)
						}
					}
				}
			}
			memo[t] = ci
		}
		if ci == nil {
			return nil, nil
		}
		return ci.cc, ci.removes
	}
	checks.StaleKeys(fns, closeOf, rep)
}

// bulk runs the closed check's bulk-teardown rule: an owner's loop that
// ends the objects of an index whose type's per-object close deletes.
func (env *passEnv) bulk(fns []*ssa.Function, rep *report.Reporter) {
	var pers []events.PerObjectClose
	var bulks []events.BulkEnd
	for _, fn := range fns {
		pers = append(pers, events.PerObjectCloses(env, fn)...)
		bulks = append(bulks, events.BulkEnds(env, fn)...)
	}
	if len(pers) > 0 && len(bulks) > 0 {
		checks.Bulk(pers, bulks, rep)
	}
}
