package driver

import (
	"go/token"
	"go/types"
	"sync"

	"golang.org/x/tools/go/packages"
)

// Options says what to analyse and how.
type Options struct {
	Dir   string // the directory to run go list in; "" is the working directory
	Tests bool   // analyse the packages' tests too (test variants)
	Tags  string // build tags, as go build's -tags

	// CacheDir is the directory of the result cache; "" is lifecyclecheck
	// under os.UserCacheDir, "off" disables the cache.
	CacheDir string
	// Salt is what, besides the sources and the analyzer binary, changes
	// an analysis's results: the configuration. It is part of every key.
	Salt []byte
	// KeepResults keeps the analyzer's result and the types of each root
	// package (Package.Result, Package.Types); the roots are then analysed
	// afresh, not read from the cache, which cannot hold them.
	KeepResults bool
	// Jobs is how many packages are analysed at once; <= 0 is GOMAXPROCS.
	Jobs int

	// Total, if set, is told how many packages the run will finish;
	// Done, if set, is called as each one is finished (analysed, read
	// from the cache or skipped). Both may be called from any goroutine.
	Total func(n int)
	Done  func()
}

// A Package is one package of the run: a root (matched by the patterns)
// or a dependency.
type Package struct {
	ID      string // go list's ID: a test variant is "p [p.test]"
	PkgPath string
	Module  *packages.Module
	Imports map[string]*Package // by import path
	IsRoot  bool

	// Errors are the errors of listing, parsing and type-checking the
	// package, as go/packages reports them (Kind says which).
	Errors []packages.Error
	// Err is why the analysis did not run or failed; nil when it ran.
	Err error
	// Diagnostics are the analyzer's reports, with positions resolved.
	Diagnostics []Diagnostic
	// Cached reports whether the results came from the cache.
	Cached bool

	// With Options.KeepResults, for the roots: the analyzer's result and
	// the package's types.
	Result any
	Types  *types.Package

	// the run's state
	files      []string // the Go files to parse (CompiledGoFiles)
	goFiles    []string
	otherFiles []string
	ignored    []string
	goVersion  string
	sizes      types.Sizes
	key        [32]byte   // the cache key
	outHash    [32]byte   // the hash of the export data and facts, for importers' keys
	depList    []*Package // the distinct packages it imports (deps), set by schedule
	pending    int        // imports not yet finished
	importers  []*Package
	users      int  // importers finished
	broken     bool // no export data: importers cannot be type-checked

	mu     sync.Mutex // guards what follows: read lazily, dropped when no longer needed
	export []byte     // export data, while importers need it
	facts  []byte     // encoded facts
	entry  string     // the cache entry to read them from, "" without one
}

// A Diagnostic is one report, positions resolved, so that it outlives the
// package's syntax and can be cached.
type Diagnostic struct {
	Category string
	Message  string
	Posn     token.Position
	End      token.Position
	Function string // the name of the function declaration it sits in, "" outside any
	Related  []Related
	Fixes    []Fix
}

// Related is a Diagnostic's related position.
type Related struct {
	Posn, End token.Position
	Message   string
}

// A Fix is a suggested fix: edits to make together.
type Fix struct {
	Message string
	Edits   []Edit
}

// An Edit replaces the text between Start and End (same file) with New.
type Edit struct {
	Start, End token.Position
	New        string
}

// Result is the outcome of a run.
type Result struct {
	Roots []*Package // the packages matched, sorted by ID
	All   []*Package // every package of the run, dependencies first
}
