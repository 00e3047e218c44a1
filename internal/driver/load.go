package driver

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"
)

// listMode is what the driver asks go list for: names, files and the
// import graph, no syntax and no types (the driver makes those itself,
// one package at a time).
const listMode = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
	packages.NeedImports | packages.NeedDeps | packages.NeedModule | packages.NeedTypesSizes

// list runs go list on patterns and returns the roots and every package
// of the run, dependencies before the packages that import them.
func list(patterns []string, o Options) (roots, all []*Package, err error) {
	cfg := &packages.Config{Mode: listMode, Tests: o.Tests, Dir: o.Dir}
	if o.Tags != "" {
		cfg.BuildFlags = []string{"-tags=" + o.Tags}
	}
	lpkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, nil, err
	}
	if len(lpkgs) == 0 {
		return nil, nil, fmt.Errorf("%s matched no packages", strings.Join(patterns, " "))
	}
	byID := make(map[string]*Package)
	var convert func(*packages.Package) *Package
	convert = func(lp *packages.Package) *Package {
		if p, ok := byID[lp.ID]; ok {
			return p
		}
		p := newPackage(lp)
		byID[lp.ID] = p
		for path, imp := range lp.Imports {
			p.Imports[path] = convert(imp)
		}
		all = append(all, p) // after its imports
		return p
	}
	for _, lp := range lpkgs {
		p := convert(lp)
		p.IsRoot = true
		roots = append(roots, p)
	}
	slices.SortFunc(roots, func(a, b *Package) int { return strings.Compare(a.ID, b.ID) })
	return roots, all, nil
}

// newPackage returns the driver's package for go list's, imports not yet
// filled in.
func newPackage(lp *packages.Package) *Package {
	p := &Package{
		ID:         lp.ID,
		PkgPath:    lp.PkgPath,
		Module:     lp.Module,
		Imports:    make(map[string]*Package, len(lp.Imports)),
		Errors:     slices.Clone(lp.Errors),
		files:      lp.CompiledGoFiles,
		goFiles:    lp.GoFiles,
		otherFiles: lp.OtherFiles,
		ignored:    lp.IgnoredFiles,
		sizes:      lp.TypesSizes,
	}
	if lp.Module != nil && lp.Module.GoVersion != "" {
		p.goVersion = "go" + lp.Module.GoVersion
	}
	return p
}

// deps returns the distinct packages p imports, sorted by ID.
func (p *Package) deps() []*Package {
	var out []*Package
	for _, d := range p.Imports {
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b *Package) int { return strings.Compare(a.ID, b.ID) })
	return out
}
