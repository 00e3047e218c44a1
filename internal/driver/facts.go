package driver

import (
	"cmp"
	"encoding/json"
	"fmt"
	"go/types"
	"reflect"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/objectpath"
)

// factTypes returns the analyzers' fact types by name, to decode facts
// into.
func factTypes(analyzers []*analysis.Analyzer) map[string]reflect.Type {
	out := make(map[string]reflect.Type)
	for _, a := range analyzers {
		for _, f := range a.FactTypes {
			t := reflect.TypeOf(f)
			out[t.String()] = t
		}
	}
	return out
}

// A factEntry is one fact: about the object at Object in the package,
// or, with Object "", about the package.
type factEntry struct {
	Object objectpath.Path
	Fact   analysis.Fact
}

// An encodedFact is a factEntry as it is stored: the fact in JSON, named
// by its type. JSON, not gob, because the same facts must give the same
// bytes in every process (gob numbers types in the order a process
// first meets them): importers' cache keys are made of them.
type encodedFact struct {
	Object objectpath.Path `json:",omitempty"`
	Type   string
	Fact   json.RawMessage
}

// An objectKey names an object fact: its object and its type.
type objectKey struct {
	obj types.Object
	t   reflect.Type
}

// A packageKey names a package fact: its package's path and its type.
type packageKey struct {
	path string
	t    reflect.Type
}

// A factStore holds the facts one unit sees: those its package exports
// and, decoded on first use, those of the packages it imports,
// transitively, against the unit's types.
type factStore struct {
	p        *Package
	pkg      *types.Package
	objects  map[objectKey]analysis.Fact
	packages map[packageKey]analysis.Fact
	loaded   map[string]bool     // package paths whose facts are decoded
	byPath   map[string]*Package // p's transitive imports, by package path; built on first use
	own      []objectKey         // the facts p exports about its objects, in order
	types    map[string]reflect.Type
}

// newFactStore returns the fact store of the analysis of p, whose types
// are pkg; types are the fact types by name.
func newFactStore(p *Package, pkg *types.Package, types map[string]reflect.Type) *factStore {
	return &factStore{
		types:    types,
		p:        p,
		pkg:      pkg,
		objects:  make(map[objectKey]analysis.Fact),
		packages: make(map[packageKey]analysis.Fact),
		loaded:   map[string]bool{pkg.Path(): true},
	}
}

// bind sets the fact functions of pass.
func (s *factStore) bind(pass *analysis.Pass) {
	pass.ImportObjectFact = s.importObject
	pass.ExportObjectFact = s.exportObject
	pass.ImportPackageFact = s.importPackage
	pass.ExportPackageFact = func(f analysis.Fact) { s.packages[packageKey{s.pkg.Path(), reflect.TypeOf(f)}] = f }
	pass.AllObjectFacts = func() []analysis.ObjectFact { return s.allObjects(pass.Analyzer) }
	pass.AllPackageFacts = func() []analysis.PackageFact { return s.allPackages(pass.Analyzer) }
}

// importObject copies the fact of ptr's type about obj into ptr.
func (s *factStore) importObject(obj types.Object, ptr analysis.Fact) bool {
	if obj == nil {
		panic("ImportObjectFact: nil object")
	}
	if obj.Pkg() == nil {
		return false // the universe's objects have no facts
	}
	s.load(obj.Pkg())
	return copyFact(s.objects[objectKey{obj, reflect.TypeOf(ptr)}], ptr)
}

// exportObject records fact about obj, an object of the unit's package.
func (s *factStore) exportObject(obj types.Object, fact analysis.Fact) {
	if obj.Pkg() != s.pkg {
		panic(fmt.Sprintf("ExportObjectFact: %v is not of package %s", obj, s.pkg.Path()))
	}
	k := objectKey{obj, reflect.TypeOf(fact)}
	if _, ok := s.objects[k]; !ok {
		s.own = append(s.own, k)
	}
	s.objects[k] = fact
}

// importPackage copies the fact of ptr's type about pkg into ptr.
func (s *factStore) importPackage(pkg *types.Package, ptr analysis.Fact) bool {
	s.load(pkg)
	return copyFact(s.packages[packageKey{pkg.Path(), reflect.TypeOf(ptr)}], ptr)
}

// copyFact copies fact, if any, into ptr.
func copyFact(fact, ptr analysis.Fact) bool {
	if fact == nil {
		return false
	}
	reflect.ValueOf(ptr).Elem().Set(reflect.ValueOf(fact).Elem())
	return true
}

// allObjects returns every object fact of a's types the unit sees: its
// package's and those of every package its types reach.
func (s *factStore) allObjects(a *analysis.Analyzer) []analysis.ObjectFact {
	s.loadAll()
	var out []analysis.ObjectFact
	for k, f := range s.objects {
		if isFactOf(a, k.t) {
			out = append(out, analysis.ObjectFact{Object: k.obj, Fact: f})
		}
	}
	slices.SortFunc(out, func(x, y analysis.ObjectFact) int {
		return cmp.Or(cmp.Compare(x.Object.Pkg().Path(), y.Object.Pkg().Path()), cmp.Compare(x.Object.Pos(), y.Object.Pos()),
			cmp.Compare(x.Object.Name(), y.Object.Name()), cmp.Compare(fmt.Sprint(reflect.TypeOf(x.Fact)), fmt.Sprint(reflect.TypeOf(y.Fact))))
	})
	return out
}

// allPackages returns every package fact of a's types the unit sees.
func (s *factStore) allPackages(a *analysis.Analyzer) []analysis.PackageFact {
	reached := s.reached()
	byPath := make(map[string]*types.Package, len(reached))
	for _, pkg := range reached {
		s.load(pkg)
		byPath[pkg.Path()] = pkg
	}
	var out []analysis.PackageFact
	for k, f := range s.packages {
		if isFactOf(a, k.t) {
			out = append(out, analysis.PackageFact{Package: byPath[k.path], Fact: f})
		}
	}
	slices.SortFunc(out, func(x, y analysis.PackageFact) int { return cmp.Compare(x.Package.Path(), y.Package.Path()) })
	return out
}

// isFactOf reports whether t is one of a's fact types.
func isFactOf(a *analysis.Analyzer, t reflect.Type) bool {
	return slices.ContainsFunc(a.FactTypes, func(f analysis.Fact) bool { return reflect.TypeOf(f) == t })
}

// reached returns the unit's package and every package its types reach
// through imports, in path order.
func (s *factStore) reached() []*types.Package {
	seen := map[*types.Package]bool{}
	var out []*types.Package
	var visit func(*types.Package)
	visit = func(pkg *types.Package) {
		if seen[pkg] {
			return
		}
		seen[pkg] = true
		out = append(out, pkg)
		for _, imp := range pkg.Imports() {
			visit(imp)
		}
	}
	visit(s.pkg)
	slices.SortFunc(out, func(a, b *types.Package) int { return cmp.Compare(a.Path(), b.Path()) })
	return out
}

// loadAll decodes the facts of every package the unit's types reach.
func (s *factStore) loadAll() {
	for _, pkg := range s.reached() {
		s.load(pkg)
	}
}

// load decodes, once, the facts of pkg, one of the packages the unit
// imports, against the unit's types. Facts about objects the unit's view
// of pkg lacks (its export data did not reach them) are dropped, as go
// vet drops them.
func (s *factStore) load(pkg *types.Package) {
	path := pkg.Path()
	if s.loaded[path] {
		return
	}
	s.loaded[path] = true
	d := s.dependency(path)
	if d == nil {
		return
	}
	entries, err := d.decodedFacts(s.types)
	if err != nil {
		return // an unreadable cache entry: as if the package had no facts
	}
	for _, e := range entries {
		t := reflect.TypeOf(e.Fact)
		if e.Object == "" {
			s.packages[packageKey{path, t}] = e.Fact
			continue
		}
		if obj, err := objectpath.Object(pkg, e.Object); err == nil {
			s.objects[objectKey{obj, t}] = e.Fact
		}
	}
}

// dependency returns the package of path among p's transitive imports.
func (s *factStore) dependency(path string) *Package {
	if s.byPath == nil {
		s.byPath = make(map[string]*Package)
		var visit func(*Package)
		visit = func(q *Package) {
			for _, d := range q.Imports {
				if _, ok := s.byPath[d.PkgPath]; !ok {
					s.byPath[d.PkgPath] = d
					visit(d)
				}
			}
		}
		visit(s.p)
	}
	return s.byPath[path]
}

// encode returns the facts the unit's package exports, encoded for its
// importers: object facts by object path (objects an importer cannot name
// are left out), then package facts.
func (s *factStore) encode() ([]byte, error) {
	var entries []factEntry
	enc := new(objectpath.Encoder)
	for _, k := range s.own {
		path, err := enc.For(k.obj)
		if err != nil {
			continue // a local object: no importer can ask about it
		}
		entries = append(entries, factEntry{Object: path, Fact: s.objects[k]})
	}
	// The order the analyzer exported them in may vary from run to run
	// (it walks a map): sorted, the same facts encode the same, and an
	// importer's key stays the same.
	slices.SortStableFunc(entries, func(a, b factEntry) int {
		return cmp.Or(cmp.Compare(a.Object, b.Object), cmp.Compare(reflect.TypeOf(a.Fact).String(), reflect.TypeOf(b.Fact).String()))
	})
	var pkgFacts []factEntry
	for k, f := range s.packages {
		if k.path == s.pkg.Path() {
			pkgFacts = append(pkgFacts, factEntry{Fact: f})
		}
	}
	slices.SortFunc(pkgFacts, func(a, b factEntry) int {
		return cmp.Compare(reflect.TypeOf(a.Fact).String(), reflect.TypeOf(b.Fact).String())
	})
	entries = append(entries, pkgFacts...)
	if len(entries) == 0 {
		return nil, nil
	}
	encoded := make([]encodedFact, len(entries))
	for i, e := range entries {
		data, err := json.Marshal(e.Fact)
		if err != nil {
			return nil, fmt.Errorf("encoding a fact of type %T: %v", e.Fact, err)
		}
		encoded[i] = encodedFact{Object: e.Object, Type: reflect.TypeOf(e.Fact).String(), Fact: data}
	}
	return json.Marshal(encoded)
}

// decodedFacts returns p's facts, decoded anew (each unit gets its own
// copies, bound to its own types), those of a type not in types left
// out.
func (p *Package) decodedFacts(types map[string]reflect.Type) ([]factEntry, error) {
	data, err := p.factData()
	if err != nil || len(data) == 0 {
		return nil, err
	}
	var encoded []encodedFact
	if err := json.Unmarshal(data, &encoded); err != nil {
		return nil, fmt.Errorf("decoding the facts of %s: %v", p.ID, err)
	}
	entries := make([]factEntry, 0, len(encoded))
	for _, e := range encoded {
		t, ok := types[e.Type]
		if !ok || t.Kind() != reflect.Pointer {
			continue
		}
		fact := reflect.New(t.Elem()).Interface().(analysis.Fact)
		if err := json.Unmarshal(e.Fact, fact); err != nil {
			return nil, fmt.Errorf("decoding a fact of %s: %v", p.ID, err)
		}
		entries = append(entries, factEntry{Object: e.Object, Fact: fact})
	}
	return entries, nil
}
