// Package config finds and loads what configures lifecyclecheck: the
// built-in kinds, a rules file and rules given inline (by the
// golangci-lint plugin), resolved against the types of the functions they
// name, and the checks selected (the rules file's checks:, which the
// driver's -checks or checks setting replaces). The command and the
// plugin share it, so that both read a rules file the same way.
package config

import (
	"errors"
	"go/types"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// Options say where the configuration comes from.
type Options struct {
	// Root is the module root: relative rules file paths resolve against
	// it, and the packages that rules name are loaded from it.
	Root string
	// RulesFile is the rules file, relative to Root unless absolute. ""
	// means rules.DefaultFile at Root if there is one.
	RulesFile string
	// Inline holds rules given inline, applied after the rules file: a
	// function they name replaces what the file says of it.
	Inline *rules.File
	// Disable names built-in kinds to turn off (see rules.Kinds), besides
	// those the rules file's disable: names.
	Disable []string
	// Checks, when not nil, is the selection of checks given by the
	// driver (the -checks flag, the plugin's checks setting): it replaces
	// the rules file's checks:.
	Checks rules.CheckSet
	// Exclude lists path globs (relative to Root) whose findings are not
	// reported, besides those of the rules file's exclude:.
	Exclude []string
}

// Result is a loaded configuration, what a driver passes to the analyzer.
type Result struct {
	// Rules are the built-in kinds left on and the resolved rules.
	Rules *rules.Set
	// Checks selects the checks that report: Options.Checks, else the
	// rules file's checks:, else nil, which selects every check.
	Checks rules.CheckSet
	// Excluded reports whether findings in a file (an absolute path) are
	// left out, by the exclude: globs of the rules file and Options; nil
	// when there are none.
	Excluded func(filename string) bool
}

// Load returns the configuration of the module at moduleRoot: the
// built-in kinds and the rules file at rulesPath (relative to moduleRoot;
// "" means rules.DefaultFile there, if present). A problem in the file is
// a *rules.FileError, which prints as FILE:LINE: problem.
func Load(moduleRoot, rulesPath string) (Result, error) {
	return Options{Root: moduleRoot, RulesFile: rulesPath}.Load()
}

// Load returns the configuration that o describes. It reads the whole
// rules file and resolves every rule it can before it gives up, so that
// the error lists every problem of the file, in line order, one a line;
// on error the Result is empty: nothing may run on a half-read
// configuration.
func (o Options) Load() (Result, error) {
	file, fileErr := o.rulesFile()
	if file == nil && fileErr != nil {
		return Result{}, fileErr // unreadable: nothing more to say
	}
	checks, checksErr := o.checks(file)
	set, err := rules.Builtin(slices.Concat(o.Disable, disabled(file))...)
	if err == nil {
		set, err = o.resolve(set, file)
	}
	var globErr error
	for _, g := range o.Exclude {
		if e := rules.ValidGlob(g); e != nil {
			globErr = errors.Join(globErr, e)
		}
	}
	if err := rules.JoinErrors(fileErr, checksErr, err, globErr); err != nil {
		return Result{}, err
	}
	return Result{Rules: set, Checks: checks, Excluded: o.excluded(file)}, nil
}

// excluded returns the predicate of the exclude: globs of file and o, or
// nil when there are none.
func (o Options) excluded(file *rules.File) func(string) bool {
	globs := slices.Clone(o.Exclude)
	if file != nil {
		globs = append(globs, file.Exclude...)
	}
	if len(globs) == 0 {
		return nil
	}
	root := o.Root
	return func(filename string) bool {
		rel, err := filepath.Rel(root, filename)
		if err != nil || strings.HasPrefix(rel, "..") {
			return false
		}
		return rules.Excluded(globs, filepath.ToSlash(rel))
	}
}

// checks returns o.Checks if set, else the selection of the file's
// checks:. The file's are checked either way.
func (o Options) checks(file *rules.File) (rules.CheckSet, error) {
	checks, err := file.CheckSet()
	if o.Checks != nil {
		checks = o.Checks
	}
	return checks, err
}

// disabled returns the kinds the rules file turns off, if there is one.
func disabled(f *rules.File) []string {
	if f == nil {
		return nil
	}
	return f.Disable
}

// resolve adds the rules and groups of the file and of o.Inline to set,
// in that order; it resolves both, whatever problems the first has, so
// that all of them are reported.
func (o Options) resolve(set *rules.Set, file *rules.File) (*rules.Set, error) {
	var files []*rules.File
	for _, f := range []*rules.File{file, o.Inline} {
		if f != nil && len(f.Rules)+len(f.Groups) > 0 {
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		return set, nil
	}
	lookup := PackageLookup(o.Root, files...)
	var errs []error
	for _, f := range files {
		next, err := f.Resolve(set, lookup)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		set = next
	}
	return set, rules.JoinErrors(errs...)
}

// rulesFile reads the rules file that o names, or the default one if it
// exists; it returns nil if there is none. Like rules.ParseFile, it
// returns what is well formed of a file with problems, with the problems.
func (o Options) rulesFile() (*rules.File, error) {
	path, explicit := o.RulesFile, o.RulesFile != ""
	if !explicit {
		path = rules.DefaultFile
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(o.Root, path)
	}
	if _, err := os.Stat(path); !explicit && errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return rules.LoadFile(displayPath(path))
}

// displayPath shortens path to be relative to the working directory when
// it lies below it, so that errors read FILE:LINE as an editor expects.
func displayPath(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	rel, err := filepath.Rel(wd, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return path
	}
	return rel
}

// ModuleRoot returns the directory of the go.mod file that encloses dir,
// or dir itself when there is none (GOPATH mode, or a plain directory).
func ModuleRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := dir; ; {
		if fi, err := os.Stat(filepath.Join(d, "go.mod")); err == nil && !fi.IsDir() {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir, nil
		}
		d = parent
	}
}

// PackageLookup returns a lookup for rules.File.Resolve that type-checks
// every package that the files name (see rules.File.Packages), in one
// packages.Load call run in dir on the first lookup. The named packages are type-checked from source,
// so that a rule may name an unexported type that no exported API
// mentions (export data leaves those out); their dependencies come from
// export data, which keeps the load to a fraction of a second a package.
func PackageLookup(dir string, files ...*rules.File) func(pkgPath string) (*types.Package, error) {
	var (
		loaded bool
		byPath map[string]*packages.Package
		err    error
	)
	return func(path string) (*types.Package, error) {
		if !loaded {
			loaded = true
			byPath, err = loadPackages(dir, rulePackages(files))
		}
		if err != nil {
			return nil, err
		}
		p := byPath[path]
		switch {
		case p == nil:
			return nil, nil
		case len(p.Errors) > 0:
			return nil, errors.New(p.Errors[0].Msg)
		}
		return p.Types, nil
	}
}

func loadPackages(dir string, paths []string) (map[string]*packages.Package, error) {
	// NeedSyntax without NeedDeps: the packages named are parsed and
	// type-checked, their imports are read from export data.
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedTypes | packages.NeedSyntax, Dir: dir}
	pkgs, err := packages.Load(cfg, paths...)
	if err != nil {
		return nil, err
	}
	byPath := make(map[string]*packages.Package, len(pkgs))
	for _, p := range pkgs {
		byPath[p.PkgPath] = p
	}
	// A pattern that matched no package comes back under its own path
	// with an error; keep it so that the lookup reports that error.
	for _, p := range pkgs {
		if p.PkgPath == "" && p.ID != "" {
			byPath[p.ID] = p
		}
	}
	return byPath, nil
}

// rulePackages returns the import paths of the functions and indexes that
// files name, each once. Names that do not parse are left out: Resolve
// reports them.
func rulePackages(files []*rules.File) []string {
	seen := make(map[string]bool)
	var paths []string
	for _, f := range files {
		for _, p := range f.Packages() {
			if !seen[p] {
				seen[p] = true
				paths = append(paths, p)
			}
		}
	}
	return paths
}
