// Package config finds and loads the rules that configure lifecyclecheck:
// the built-in kinds, a rules file and rules given inline (by the
// golangci-lint plugin), resolved against the types of the functions they
// name. The command and the plugin share it, so that both read a rules file
// the same way.
package config

import (
	"errors"
	"go/types"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// Options say where the rules come from.
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
	// Disable names built-in kinds to turn off (see rules.Kinds).
	Disable []string
}

// Load returns the rule set for the module at moduleRoot: the built-in
// kinds and the rules file at rulesPath (relative to moduleRoot; ""
// means rules.DefaultFile there, if present). A problem in the file is a
// *rules.FileError, which prints as FILE:LINE: problem.
func Load(moduleRoot, rulesPath string) (*rules.Set, error) {
	return Options{Root: moduleRoot, RulesFile: rulesPath}.Load()
}

// Load returns the rule set that o describes.
func (o Options) Load() (*rules.Set, error) {
	set, err := rules.Builtin(o.Disable...)
	if err != nil {
		return nil, err
	}
	file, err := o.rulesFile()
	if err != nil {
		return nil, err
	}
	var files []*rules.File
	for _, f := range []*rules.File{file, o.Inline} {
		if f != nil && len(f.Rules) > 0 {
			files = append(files, f)
		}
	}
	if len(files) == 0 {
		return set, nil
	}
	lookup := PackageLookup(o.Root, files...)
	for _, f := range files {
		if set, err = f.Resolve(set, lookup); err != nil {
			return nil, err
		}
	}
	return set, nil
}

// rulesFile reads the rules file that o names, or the default one if it
// exists; it returns nil if there is none.
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

// PackageLookup returns a lookup for rules.File.Resolve that type-checks,
// from export data, every package that the files name, in one
// packages.Load call run in dir on the first lookup.
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
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedTypes, Dir: dir}
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

// rulePackages returns the import paths of the functions that the rules
// of files name, each once. Names that do not parse are left out: Resolve
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
