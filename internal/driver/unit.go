package driver

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"os"
	"reflect"
	"slices"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"
)

// key returns p's cache key: the run's salt, p's identity, build
// settings and files (names and contents), and the outputs of its
// imports.
func (r *run) key(p *Package, src [][]byte) [32]byte {
	h := sha256.New()
	h.Write(r.salt[:])
	fmt.Fprintf(h, "id %q path %q go %q\n", p.ID, p.PkgPath, p.goVersion)
	if p.sizes != nil {
		fmt.Fprintf(h, "sizes %d %d\n", p.sizes.Sizeof(types.Typ[types.Uintptr]), p.sizes.Alignof(types.Typ[types.Int64]))
	}
	for i, f := range p.files {
		sum := sha256.Sum256(src[i])
		fmt.Fprintf(h, "file %q %x\n", f, sum)
	}
	for _, f := range p.otherFiles {
		fmt.Fprintf(h, "other %q\n", f)
	}
	paths := make([]string, 0, len(p.Imports))
	for path := range p.Imports {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		d := p.Imports[path]
		fmt.Fprintf(h, "import %q %q %x\n", path, d.ID, d.outHash)
	}
	return [32]byte(h.Sum(nil))
}

// readFiles returns the contents of p's Go files.
func (p *Package) readFiles() ([][]byte, error) {
	src := make([][]byte, len(p.files))
	for i, f := range p.files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		src[i] = data
	}
	return src, nil
}

// analyse parses and type-checks p and runs the analyzers on it, setting
// its errors, diagnostics, export data and facts.
func (r *run) analyse(p *Package, src [][]byte) {
	fset := token.NewFileSet()
	files, ok := p.parse(fset, src)
	if !ok {
		p.Err, p.broken = errSkipped, true
		return
	}
	imports := make(map[string]*types.Package)
	info := newInfo()
	conf := types.Config{
		Importer:  importerFunc(func(path string) (*types.Package, error) { return p.importFrom(path, fset, imports) }),
		Sizes:     p.sizes,
		GoVersion: p.goVersion,
		Error: func(err error) {
			if te, ok := err.(types.Error); ok {
				p.Errors = append(p.Errors, packages.Error{Pos: te.Fset.Position(te.Pos).String(), Msg: te.Msg, Kind: packages.TypeError})
			}
		},
	}
	pkg, _ := conf.Check(p.PkgPath, fset, files, info)
	if len(p.Errors) > 0 {
		p.Err, p.broken = errSkipped, true
		return
	}
	u := &unit{run: r, p: p, fset: fset, files: files, pkg: pkg, info: info, facts: newFactStore(p, pkg, r.factTypes)}
	result, err := u.runAll()
	if err != nil {
		p.Err, p.broken = err, true
		return
	}
	if r.o.KeepResults && p.IsRoot {
		p.Result, p.Types = result, pkg
	}
	var buf bytes.Buffer
	if err := gcexportdata.Write(&buf, fset, pkg); err != nil {
		p.Err, p.broken = fmt.Errorf("writing export data: %v", err), true
		return
	}
	p.export = buf.Bytes()
	if p.facts, err = u.facts.encode(); err != nil {
		p.Err, p.broken = err, true
		return
	}
	p.outHash = outHash(p.export, p.facts)
}

// outHash is what p's importers see of it: its export data and facts.
func outHash(export, facts []byte) [32]byte {
	h := sha256.New()
	h.Write(export)
	h.Write([]byte{0})
	h.Write(facts)
	return [32]byte(h.Sum(nil))
}

// parse parses p's files, recording parse errors in p.Errors.
func (p *Package) parse(fset *token.FileSet, src [][]byte) ([]*ast.File, bool) {
	files := make([]*ast.File, 0, len(p.files))
	ok := true
	for i, name := range p.files {
		f, err := parser.ParseFile(fset, name, src[i], parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			ok = false
			var list scanner.ErrorList
			if errors.As(err, &list) {
				for _, e := range list {
					p.Errors = append(p.Errors, packages.Error{Pos: e.Pos.String(), Msg: e.Msg, Kind: packages.ParseError})
				}
			} else {
				p.Errors = append(p.Errors, packages.Error{Pos: name, Msg: err.Error(), Kind: packages.ParseError})
			}
		}
		if f != nil {
			files = append(files, f)
		}
	}
	return files, ok
}

// newInfo returns a types.Info that records everything SSA and the
// analyzers read.
func newInfo() *types.Info {
	return &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Instances:    make(map[*ast.Ident]types.Instance),
		Scopes:       make(map[ast.Node]*types.Scope),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		FileVersions: make(map[*ast.File]string),
	}
}

// importerFunc is a types.Importer.
type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// importFrom returns the package p imports as path, read from its export
// data into imports, the type universe of p's analysis.
func (p *Package) importFrom(path string, fset *token.FileSet, imports map[string]*types.Package) (*types.Package, error) {
	d := p.Imports[path]
	if d == nil {
		return nil, fmt.Errorf("%s is not among the imports go list found for %s", path, p.ID)
	}
	if d.PkgPath == "unsafe" {
		return types.Unsafe, nil
	}
	if pkg := imports[d.PkgPath]; pkg != nil && pkg.Complete() {
		return pkg, nil
	}
	data, err := d.exportData()
	if err != nil {
		return nil, err
	}
	return gcexportdata.Read(bytes.NewReader(data), fset, imports, d.PkgPath)
}

// listError is an error about p as go list would report it.
func listError(err error) packages.Error {
	return packages.Error{Pos: "-", Msg: err.Error(), Kind: packages.ListError}
}

// A unit is the analysis of one package: its syntax, types and facts,
// and the passes run on them.
type unit struct {
	run   *run
	p     *Package
	fset  *token.FileSet
	files []*ast.File
	pkg   *types.Package
	info  *types.Info
	facts *factStore
}

// runAll runs the analyzers on the unit, requirements first, and returns
// the result of the last (the one asked for).
func (u *unit) runAll() (any, error) {
	results := make(map[*analysis.Analyzer]any)
	for _, a := range u.run.analyzers {
		res, err := u.runOne(a, results)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.Name, err)
		}
		results[a] = res
	}
	return results[u.run.analyzers[len(u.run.analyzers)-1]], nil
}

// runOne runs a, its requirements' results in results.
func (u *unit) runOne(a *analysis.Analyzer, results map[*analysis.Analyzer]any) (res any, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("panic: %v", x) // one package's failure, not the run's
		}
	}()
	pass := &analysis.Pass{
		Analyzer:     a,
		Fset:         u.fset,
		Files:        u.files,
		OtherFiles:   u.p.otherFiles,
		IgnoredFiles: u.p.ignored,
		Pkg:          u.pkg,
		TypesInfo:    u.info,
		TypesSizes:   u.p.sizes,
		Module:       u.module(),
		ResultOf:     make(map[*analysis.Analyzer]any, len(a.Requires)),
		ReadFile:     u.readFile,
	}
	for _, req := range a.Requires {
		pass.ResultOf[req] = results[req]
	}
	pass.Report = func(d analysis.Diagnostic) {
		if a == u.run.analyzers[len(u.run.analyzers)-1] {
			u.p.Diagnostics = append(u.p.Diagnostics, resolve(u.fset, u.files, d))
		}
	}
	u.facts.bind(pass)
	res, err = a.Run(pass)
	if err == nil && res != nil && a.ResultType != nil && reflect.TypeOf(res) != a.ResultType {
		err = fmt.Errorf("internal error: result of type %T, want %v", res, a.ResultType)
	}
	return res, err
}

// module returns the package's module as the analyzers see it.
func (u *unit) module() *analysis.Module {
	m := u.p.Module
	if m == nil {
		return nil
	}
	return &analysis.Module{Path: m.Path, Version: m.Version, GoVersion: m.GoVersion}
}

// readFile reads one of the package's files, and only those, as the
// go/analysis drivers allow.
func (u *unit) readFile(name string) ([]byte, error) {
	if !slices.Contains(u.p.files, name) && !slices.Contains(u.p.goFiles, name) && !slices.Contains(u.p.otherFiles, name) && !slices.Contains(u.p.ignored, name) {
		return nil, fmt.Errorf("%s is not a file of package %s", name, u.p.PkgPath)
	}
	return os.ReadFile(name)
}
