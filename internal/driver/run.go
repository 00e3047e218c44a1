package driver

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"runtime"
	"sync"

	"golang.org/x/tools/go/analysis"
)

// errSkipped is the Err of a package with errors of its own, as the
// go/analysis drivers say it.
var errSkipped = errors.New("analysis skipped due to errors in package")

// A run is one Run: the analyzers, the cache and the salt of every key.
type run struct {
	analyzers []*analysis.Analyzer // the analyzer and what it requires, requirements first
	factTypes map[string]reflect.Type
	o         Options
	cache     *cache // nil without a cache
	salt      [32]byte
}

// Run lists the packages matching patterns and their dependencies and
// runs a on them all, dependencies first, up to o.Jobs at once. It returns
// an error only when the packages cannot be listed or the cache cannot be
// opened; what goes wrong with a package is in its Errors and Err.
func Run(patterns []string, a *analysis.Analyzer, o Options) (*Result, error) {
	r := &run{analyzers: requirements(a), o: o}
	r.factTypes = factTypes(r.analyzers)
	salt, err := binarySalt(o.Salt)
	if err != nil {
		return nil, err
	}
	r.salt = salt
	if r.cache, err = openCache(o.CacheDir); err != nil {
		return nil, err
	}
	roots, all, err := list(patterns, o)
	if err != nil {
		return nil, err
	}
	if o.Total != nil {
		o.Total(len(all))
	}
	r.schedule(all)
	if r.cache != nil {
		r.cache.trim()
	}
	return &Result{Roots: roots, All: all}, nil
}

// requirements returns a and the analyzers it requires, transitively,
// each after those it requires.
func requirements(a *analysis.Analyzer) []*analysis.Analyzer {
	var out []*analysis.Analyzer
	seen := make(map[*analysis.Analyzer]bool)
	var visit func(*analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, req := range a.Requires {
			visit(req)
		}
		out = append(out, a)
	}
	visit(a)
	return out
}

// binarySalt returns the hash of the running executable and salt: a
// rebuilt analyzer never reads its predecessor's results.
func binarySalt(salt []byte) ([32]byte, error) {
	h := sha256.New()
	exe, err := os.Executable()
	if err == nil {
		var f *os.File
		if f, err = os.Open(exe); err == nil {
			_, err = io.Copy(h, f)
			f.Close()
		}
	}
	if err != nil {
		return [32]byte{}, fmt.Errorf("cannot read the analyzer's own executable to key its cache (%v); run with -cache=off", err)
	}
	h.Write(salt)
	return [32]byte(h.Sum(nil)), nil
}

// schedule finishes every package of all, each once its imports are
// finished, up to o.Jobs at once.
func (r *run) schedule(all []*Package) {
	jobs := r.o.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	ready := make(chan *Package, len(all))
	for _, p := range all {
		p.depList = p.deps()
		p.pending = len(p.depList)
		for _, d := range p.depList {
			d.importers = append(d.importers, p)
		}
		if p.pending == 0 {
			ready <- p
		}
	}
	var mu sync.Mutex
	left := len(all)
	if left == 0 {
		close(ready)
	}
	var wg sync.WaitGroup
	for range jobs {
		wg.Go(func() {
			for p := range ready {
				r.finish(p)
				if r.o.Done != nil {
					r.o.Done()
				}
				mu.Lock()
				for _, imp := range p.importers {
					if imp.pending--; imp.pending == 0 {
						ready <- imp
					}
				}
				for _, d := range p.depList {
					if d.users++; d.users == len(d.importers) {
						d.dropExport() // every importer is type-checked
					}
				}
				if left--; left == 0 {
					close(ready)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}

// finish gives p its results: from the cache when its key is there,
// else by analysing it.
func (r *run) finish(p *Package) {
	switch {
	case p.PkgPath == "unsafe":
		return // types.Unsafe: nothing to analyse or export
	case len(p.Errors) > 0:
		p.Err, p.broken = errSkipped, true
		return
	}
	for _, d := range p.depList {
		if d.broken {
			p.Err, p.broken = fmt.Errorf("failed prerequisites: %s", d.ID), true
			return
		}
	}
	src, err := p.readFiles()
	if err != nil {
		p.Errors = append(p.Errors, listError(err))
		p.Err, p.broken = errSkipped, true
		return
	}
	p.key = r.key(p, src)
	if r.cache != nil && !(r.o.KeepResults && p.IsRoot) && r.cache.load(p) {
		return
	}
	r.analyseSafely(p, src)
	if r.cache != nil {
		r.cache.store(p)
	}
}

// analyseSafely analyses p; a panic (of the type checker, SSA or the
// export data writer on code they do not expect) fails p alone, not the
// run.
func (r *run) analyseSafely(p *Package, src [][]byte) {
	defer func() {
		if x := recover(); x != nil {
			p.Err, p.broken = fmt.Errorf("internal error, please report it: %v", x), true
		}
	}()
	r.analyse(p, src)
}
