package report

import (
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/flow"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// A fix in another package's index cannot name the index (it is the
// other package's, often unexported): it calls that package's own exported
// removal function instead, when there is exactly one that takes the
// object and deletes from that index (store.Remove(it)); otherwise there is
// no fix.

// removerFix returns the fix that calls the index package's remover on
// the object right before the end of life at ev.
func (fe fnView) removerFix(f flow.InFact, ev *events.Event) []analysis.SuggestedFix {
	id := fe.Indexes[f.Idx]
	pkg := fe.indexPackage(id)
	if pkg == nil || pkg == fe.env.pass.Pkg {
		return nil
	}
	obj := fe.ObjName(ev)
	t := ev.ObjType()
	if !isPath(obj) || t == nil {
		return nil
	}
	remover := fe.env.remover(pkg, id, t)
	if remover == nil {
		return nil
	}
	src := fe.env.src
	stmt := src.stmt(ev.Pos)
	if stmt == nil {
		return nil
	}
	name := fe.importName(stmt.Pos(), pkg.Path())
	if name == "" {
		return nil
	}
	return fe.env.callBefore(stmt, name+"."+remover.Name()+"("+obj+")")
}

// indexPackage returns the imported package that declares the index.
func (fe fnView) indexPackage(id facts.IndexID) *types.Package {
	if !id.Exported() {
		return nil
	}
	for _, imp := range append(fe.env.pass.Pkg.Imports(), fe.env.pass.Pkg) {
		if strings.HasPrefix(id.Name, imp.Path()+".") && !strings.Contains(id.Name[len(imp.Path())+1:], "/") {
			return imp
		}
	}
	return nil
}

// remover returns the one exported function of pkg with a single
// parameter of type t whose summary deletes it (or by key) from index id.
func (r *Reporter) remover(pkg *types.Package, id facts.IndexID, t types.Type) *types.Func {
	var found *types.Func
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		fn, ok := scope.Lookup(name).(*types.Func)
		if !ok || !fn.Exported() || fn.Signature().Params().Len() != 1 || !types.Identical(fn.Signature().Params().At(0).Type(), t) {
			continue
		}
		s := r.lookup.FuncSummary(fn)
		if s == nil || !deletesFrom(s, id) {
			continue
		}
		if found != nil {
			return nil // two candidates: the user knows better
		}
		found = fn
	}
	return found
}

func deletesFrom(s *facts.Summary, id facts.IndexID) bool {
	for _, e := range s.Effects {
		if e.Op == rules.Delete && e.Index == id && e.Key == nil && (e.Object.Base == facts.AnyObject || e.Object == facts.Operand{Base: facts.ParamOperand}) {
			return true
		}
	}
	return false
}

// importName returns the name under which the file at pos imports path,
// or "" when it does not (or imports it as _ or .).
func (fe fnView) importName(pos token.Pos, path string) string {
	for _, f := range fe.env.pass.Files {
		if pos < f.FileStart || pos >= f.FileEnd {
			continue
		}
		for _, imp := range f.Imports {
			if p, err := strconv.Unquote(imp.Path.Value); err != nil || p != path {
				continue
			}
			if imp.Name == nil {
				return importedName(fe.env.pass.Pkg, path)
			}
			if imp.Name.Name != "_" && imp.Name.Name != "." {
				return imp.Name.Name
			}
		}
	}
	return ""
}

// importedName is the declared name of the package pkg imports as path.
func importedName(pkg *types.Package, path string) string {
	for _, imp := range pkg.Imports() {
		if imp.Path() == path {
			return imp.Name()
		}
	}
	return ""
}
