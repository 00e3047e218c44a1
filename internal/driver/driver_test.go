package driver_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer"
	"github.com/lifecyclecheck/lifecyclecheck/internal/driver"
)

// poolGo declares a free in one package; connsGo, in another, frees a
// connection through it while an index holds it: the report rests on a
// fact that crosses packages.
const poolGo = `package pool

// Release hands c's memory out again.
//
//lifecycle:free c
func Release(c any) {}
`

const connsGo = `package conns

import "example.com/m/pool"

type Conn struct{ ID string }

var byID = map[string]*Conn{}

func Drop(id string) {
	c := &Conn{ID: id}
	byID[id] = c
	pool.Release(c)
}
`

const otherGo = `package other

func F() int { return 1 }
`

// writeModule writes the module example.com/m with files into a new
// directory and returns it.
func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["go.mod"] = "module example.com/m\n\ngo 1.26\n"
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	}
	return dir
}

// runOn runs the analyzer on ./... in dir with the cache in cacheDir and
// returns the packages of the run by path (dependencies of the standard
// library left out).
func runOn(t *testing.T, dir, cacheDir string) map[string]*driver.Package {
	t.Helper()
	res, err := driver.Run([]string{"./..."}, analyzer.New(analyzer.Config{}), driver.Options{Dir: dir, CacheDir: cacheDir})
	require.NoError(t, err)
	out := make(map[string]*driver.Package)
	for _, p := range res.All {
		if strings.HasPrefix(p.PkgPath, "example.com/") {
			out[p.PkgPath] = p
		}
	}
	return out
}

// messages returns the messages of p's diagnostics.
func messages(p *driver.Package) []string {
	var out []string
	for _, d := range p.Diagnostics {
		out = append(out, d.Message)
	}
	return out
}

func TestFactsCrossPackagesAndTheCache(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"pool/pool.go": poolGo, "conns/conns.go": connsGo, "other/other.go": otherGo})
	cacheDir := t.TempDir()

	first := runOn(t, dir, cacheDir)
	require.Len(t, first["example.com/m/conns"].Diagnostics, 1, "the free declared in pool reaches conns as a fact")
	d := first["example.com/m/conns"].Diagnostics[0]
	assert.Contains(t, d.Message, "c freed by pool.Release while still in index byID")
	assert.Equal(t, filepath.Join(dir, "conns", "conns.go"), d.Posn.Filename)
	assert.Equal(t, 12, d.Posn.Line)
	assert.Equal(t, "Drop", d.Function)
	for _, p := range first {
		assert.False(t, p.Cached, p.ID)
	}

	again := runOn(t, dir, cacheDir)
	for _, p := range again {
		assert.True(t, p.Cached, "%s: nothing changed", p.ID)
	}
	assert.Equal(t, messages(first["example.com/m/conns"]), messages(again["example.com/m/conns"]), "the findings come from the cache")

	// An edit inside conns reanalyses conns alone, against pool's facts read from the cache.
	appendTo(t, filepath.Join(dir, "conns", "conns.go"), "\nfunc Unused() {}\n")
	edited := runOn(t, dir, cacheDir)
	assert.False(t, edited["example.com/m/conns"].Cached)
	assert.True(t, edited["example.com/m/pool"].Cached)
	assert.True(t, edited["example.com/m/other"].Cached)
	assert.Equal(t, messages(first["example.com/m/conns"]), messages(edited["example.com/m/conns"]))

	// An edit of pool's API reanalyses pool and what imports it.
	appendTo(t, filepath.Join(dir, "pool", "pool.go"), "\nfunc New() {}\n")
	api := runOn(t, dir, cacheDir)
	assert.False(t, api["example.com/m/pool"].Cached)
	assert.False(t, api["example.com/m/conns"].Cached)
	assert.True(t, api["example.com/m/other"].Cached)
}

func TestEditThatChangesNothingVisibleStopsAtThePackage(t *testing.T) {
	t.Parallel()
	// Several functions with facts: their order must not depend on the run.
	frees := ""
	for _, name := range []string{"A", "B", "C", "D", "E", "F", "G"} {
		frees += "\n//lifecycle:free c\nfunc Release" + name + "(c any) {}\n"
	}
	dir := writeModule(t, map[string]string{"pool/pool.go": poolGo + frees, "conns/conns.go": connsGo})
	cacheDir := t.TempDir()
	runOn(t, dir, cacheDir)
	// A new unexported function's body: pool's export data and facts stay
	// the same, so conns keeps its key.
	appendTo(t, filepath.Join(dir, "pool", "pool.go"), "\nfunc helper() int { return 2 }\n")
	after := runOn(t, dir, cacheDir)
	assert.False(t, after["example.com/m/pool"].Cached)
	assert.True(t, after["example.com/m/conns"].Cached, "pool's outputs did not change")
}

func TestWithoutCache(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"pool/pool.go": poolGo, "conns/conns.go": connsGo})
	for range 2 {
		pkgs := runOn(t, dir, "off")
		assert.Len(t, pkgs["example.com/m/conns"].Diagnostics, 1)
		assert.False(t, pkgs["example.com/m/conns"].Cached)
	}
}

func TestErrorsStopTheAnalysisOfThePackageAndItsImporters(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{
		"pool/pool.go":   poolGo + "\nvar broken int = \"no\"\n",
		"conns/conns.go": connsGo,
		"other/other.go": otherGo,
	})
	for range 2 { // analysed, then from the cache
		pkgs := runOn(t, dir, t.TempDir())
		pool := pkgs["example.com/m/pool"]
		require.NotEmpty(t, pool.Errors)
		assert.Contains(t, pool.Errors[0].Msg, "cannot use")
		assert.Contains(t, pool.Errors[0].Pos, "pool.go:8:")
		assert.EqualError(t, pool.Err, "analysis skipped due to errors in package")
		assert.ErrorContains(t, pkgs["example.com/m/conns"].Err, "failed prerequisites")
		assert.NoError(t, pkgs["example.com/m/other"].Err)
	}
}

func TestKeepResults(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"pool/pool.go": poolGo, "conns/conns.go": connsGo})
	cacheDir := t.TempDir()
	runOn(t, dir, cacheDir)
	res, err := driver.Run([]string{"./pool"}, analyzer.New(analyzer.Config{}), driver.Options{Dir: dir, CacheDir: cacheDir, KeepResults: true})
	require.NoError(t, err)
	require.Len(t, res.Roots, 1)
	root := res.Roots[0]
	assert.False(t, root.Cached, "the cache cannot hold results")
	require.NotNil(t, root.Types)
	learned, ok := root.Result.(*analyzer.Learned)
	require.True(t, ok)
	release := root.Types.Scope().Lookup("Release")
	require.NotNil(t, release)
	assert.Contains(t, learned.Summaries, release)
}

// appendTo appends text to the file at path.
func appendTo(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(text)
	require.NoError(t, err)
	require.NoError(t, f.Close())
}

// storeGo hides the free behind an exported interface: importers see
// Releaser, not the unexported type that implements it.
const storeGo = `package store

type Releaser interface{ Release(c any) }

type releaser struct{}

// Release hands c's memory out again.
//
//lifecycle:free c
func (releaser) Release(c any) {}

func New() Releaser { return releaser{} }
`

const viaGo = `package via

import "example.com/m/store"

type Conn struct{ ID string }

var byID = map[string]*Conn{}

func Drop(id string) {
	c := &Conn{ID: id}
	byID[id] = c
	store.New().Release(c)
}
`

func TestInterfaceMethodsCarryTheirImplementationsSummary(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"store/store.go": storeGo, "via/via.go": viaGo})
	pkgs := runOn(t, dir, "off")
	assert.Equal(t, []string{"c freed by store.New().Release while still in index byID (inserted at via.go:11); delete it from byID first [freed]"},
		messages(pkgs["example.com/m/via"]))
}

// twoGo has two implementations of Releaser, one of which (nop) export
// data does not show: importers must not take Pool's for the only one.
const twoGo = `package two

type Releaser interface{ Release(c any) }

type Pool struct{}

// Release hands c's memory out again.
//
//lifecycle:free c
func (*Pool) Release(c any) {}

type nop struct{}

func (nop) Release(c any) {}

func New() Releaser { return nop{} }
`

const viaTwoGo = `package viatwo

import "example.com/m/two"

type Conn struct{ ID string }

var byID = map[string]*Conn{}

func Drop(id string) {
	c := &Conn{ID: id}
	byID[id] = c
	two.New().Release(c)
}
`

func TestAnInterfaceWithImplementationsImportersCannotSeeIsNotResolved(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"two/two.go": twoGo, "viatwo/viatwo.go": viaTwoGo})
	pkgs := runOn(t, dir, "off")
	assert.Empty(t, messages(pkgs["example.com/m/viatwo"]), "nop.Release frees nothing")
}

func TestAPanicFailsItsPackageOnly(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"pool/pool.go": poolGo, "other/other.go": otherGo})
	boom := &analysis.Analyzer{
		Name: "boom",
		Doc:  "panics on package pool",
		Run: func(pass *analysis.Pass) (any, error) {
			if pass.Pkg.Name() == "pool" {
				panic("boom")
			}
			return nil, nil
		},
	}
	res, err := driver.Run([]string{"./..."}, boom, driver.Options{Dir: dir, CacheDir: "off"})
	require.NoError(t, err)
	for _, p := range res.Roots {
		if p.PkgPath == "example.com/m/pool" {
			assert.ErrorContains(t, p.Err, "boom")
		} else {
			assert.NoError(t, p.Err)
		}
	}
}

// helperPoolGo frees through an unexported helper: the step inside pool
// must be pointed at from the report in conns.
const helperPoolGo = `package pool

//lifecycle:free c
func free(c any) {}

// Release hands c's memory out again.
func Release(c any) { free(c) }
`

func TestStepsInOtherPackagesArePointedAt(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"pool/pool.go": helperPoolGo, "conns/conns.go": connsGo})
	pkgs := runOn(t, dir, "off")
	diags := pkgs["example.com/m/conns"].Diagnostics
	require.Len(t, diags, 1)
	var steps []string
	for _, r := range diags[0].Related {
		steps = append(steps, fmt.Sprintf("%s:%d:%d: %s", filepath.Base(r.Posn.Filename), r.Posn.Line, r.Posn.Column, r.Message))
	}
	assert.Contains(t, steps, "pool.go:7:27: freed through free")
}

// pkgNameFact is a package fact: the package's name.
type pkgNameFact struct{ Name string }

func (*pkgNameFact) AFact() {}

func TestPackageFactsReachImporters(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"pool/pool.go": poolGo, "conns/conns.go": connsGo})
	var seen []string
	names := &analysis.Analyzer{
		Name:      "names",
		Doc:       "exports each package's name as a fact; conns lists those it sees",
		FactTypes: []analysis.Fact{new(pkgNameFact)},
		Run: func(pass *analysis.Pass) (any, error) {
			pass.ExportPackageFact(&pkgNameFact{Name: pass.Pkg.Name()})
			if pass.Pkg.Name() == "conns" {
				var f pkgNameFact
				require.True(t, pass.ImportPackageFact(pass.Pkg.Imports()[0], &f))
				for _, pf := range pass.AllPackageFacts() {
					require.NotNil(t, pf.Package)
					seen = append(seen, pf.Package.Path()+"="+pf.Fact.(*pkgNameFact).Name)
				}
			}
			return nil, nil
		},
	}
	_, err := driver.Run([]string{"./conns"}, names, driver.Options{Dir: dir, CacheDir: "off", Jobs: 1})
	require.NoError(t, err)
	assert.Equal(t, []string{"example.com/m/conns=conns", "example.com/m/pool=pool"}, seen)
}
