package main

import (
	"cmp"
	"errors"
	"fmt"
	"go/types"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer"
	"github.com/lifecyclecheck/lifecyclecheck/internal/driver"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// learnedPackage is what the functions of one analysed package do, as the
// analyzer learned it.
type learnedPackage struct {
	path    string
	learned *analyzer.Learned
}

// learnedPackages returns what each root package learned, in import path
// order. Test variants are left out: what only tests declare cannot be
// named by a rules file, and the rest the package itself has learned.
func learnedPackages(roots []*driver.Package) []learnedPackage {
	var out []learnedPackage
	for _, p := range roots {
		l, ok := p.Result.(*analyzer.Learned)
		if !ok || p.Err != nil || p.ID != p.PkgPath || strings.HasSuffix(p.ID, ".test") {
			continue
		}
		out = append(out, learnedPackage{path: p.PkgPath, learned: l})
	}
	slices.SortFunc(out, func(a, b learnedPackage) int { return cmp.Compare(a.path, b.path) })
	return out
}

// packageLookup returns the types of the run's packages by import path,
// for rules.File.Resolve: a root's (a package rather than its test
// variant), else one that the roots' types import, directly or not. The
// roots need Options.KeepResults, which keeps their types.
func packageLookup(roots []*driver.Package) func(string) (*types.Package, error) {
	byPath := make(map[string]*types.Package)
	for _, p := range roots {
		if _, ok := byPath[p.PkgPath]; (!ok || p.ID == p.PkgPath) && p.Types != nil {
			byPath[p.PkgPath] = p.Types
		}
	}
	seen := make(map[*types.Package]bool) // each root imports its own copies
	var addImports func(*types.Package)
	addImports = func(pkg *types.Package) {
		for _, imp := range pkg.Imports() {
			if seen[imp] {
				continue
			}
			seen[imp] = true
			if _, ok := byPath[imp.Path()]; !ok {
				byPath[imp.Path()] = imp
			}
			addImports(imp)
		}
	}
	for _, p := range roots {
		if p.Types != nil {
			addImports(p.Types)
		}
	}
	return func(path string) (*types.Package, error) { return byPath[path], nil }
}

// writeLearned writes what pkgs learned as a rules file: the rules that
// say what their functions do, and the groups of indexes their functions
// remove an object from together, each package's under a # package
// comment. What a rules file cannot say is written as a comment, with the
// reason. Every entry is checked, through lookup, to resolve as the rules
// file of a module that imports the packages would.
func writeLearned(w io.Writer, pkgs []learnedPackage, lookup func(string) (*types.Package, error)) error {
	var ruleSecs, groupSecs []section
	seenGroups := make(map[string]*line)
	for _, p := range pkgs {
		funcs := slices.SortedFunc(maps.Keys(p.learned.Summaries), func(a, b *types.Func) int {
			return cmp.Compare(a.FullName(), b.FullName())
		})
		rs := section{path: p.path, byText: make(map[string]*line)}
		gs := section{path: p.path}
		for _, fn := range funcs {
			s := p.learned.Summaries[fn]
			for _, e := range s.Effects {
				rs.addEffect(fn, e)
			}
			for _, g := range s.Groups {
				gs.addGroup(fn, g, seenGroups)
			}
		}
		ruleSecs = append(ruleSecs, rs.checked("rules", lookup))
		groupSecs = append(groupSecs, gs.checked("groups", lookup))
	}
	var b strings.Builder
	writeSection(&b, "rules", ruleSecs)
	writeSection(&b, "groups", groupSecs)
	_, err := io.WriteString(w, b.String())
	return err
}

// section is the lines of one package under one top-level key.
type section struct {
	path   string
	lines  []*line
	byText map[string]*line // the entries and comments so far, by text
}

// line is an entry of a list (a rule or a group), or a comment when entry
// is "".
type line struct {
	entry string
	// notes follow an entry on its line: the indexes a delete with index
	// _ stands for.
	notes []string
	// before are comment lines before an entry: where a group was learned.
	before  []string
	comment string
}

// add returns the line with the entry or comment text, adding it if it is
// new.
func (s *section) add(entry, comment string) *line {
	text := entry + "#" + comment
	if l, ok := s.byText[text]; ok {
		return l
	}
	l := &line{entry: entry, comment: comment}
	s.byText[text] = l
	s.lines = append(s.lines, l)
	return l
}

// checked returns s with each entry that does not parse and resolve, as
// the only entry of a rules file under key, turned into a comment saying
// why.
func (s section) checked(key string, lookup func(string) (*types.Package, error)) section {
	for _, l := range s.lines {
		if l.entry == "" {
			continue
		}
		f, err := rules.ParseFile("learned", []byte(key+":\n  - "+l.entry+"\n"))
		if err == nil {
			_, err = f.Resolve(nil, lookup)
		}
		if err != nil {
			l.comment = fmt.Sprintf("%s (a rules file cannot say it: %s)", l.entry, problem(err))
			l.entry, l.notes = "", nil
		}
	}
	return s
}

// problem returns the message of a rules file problem, without its place.
func problem(err error) string {
	var fe *rules.FileError
	if errors.As(err, &fe) {
		return fe.Msg
	}
	return err.Error()
}

// writeSection writes key and its list: each package's lines after a
// # package comment, or [] when no package has any.
func writeSection(b *strings.Builder, key string, secs []section) {
	secs = slices.DeleteFunc(secs, func(s section) bool { return len(s.lines) == 0 })
	if len(secs) == 0 {
		fmt.Fprintf(b, "%s: []\n", key)
		return
	}
	fmt.Fprintf(b, "%s:\n", key)
	for _, s := range secs {
		fmt.Fprintf(b, "  # package %s\n", s.path)
		for _, l := range s.lines {
			for _, c := range l.before {
				fmt.Fprintf(b, "  # %s\n", c)
			}
			switch {
			case l.entry == "":
				fmt.Fprintf(b, "  # %s\n", l.comment)
			case len(l.notes) > 0:
				fmt.Fprintf(b, "  - %s  # from %s\n", l.entry, strings.Join(l.notes, ", "))
			default:
				fmt.Fprintf(b, "  - %s\n", l.entry)
			}
		}
	}
}
