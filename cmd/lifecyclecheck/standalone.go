package main

import (
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/singlechecker"
	"golang.org/x/tools/go/packages"

	"github.com/lifecyclecheck/lifecyclecheck/internal/driver"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// streams are where a run writes: findings in JSON or SARIF go to out,
// text findings, errors and progress to errs.
type streams struct {
	out, errs io.Writer
	terminal  bool   // errs is a terminal: progress may be shown there
	dir       string // the directory to run in; "" is the working directory
}

// standalone runs the command outside go vet's unitchecker protocol and
// returns its exit status: 0 clean, 3 with text findings, 1 on a load or
// analysis error (findings or not), 2 on a bad flag; JSON and SARIF exit 0
// with findings.
// It runs the analysis itself, through the package-at-a-time driver, so
// as to cache results, merge test variants, read and write baselines,
// honour -tags, show progress and keep load errors to one line each;
// -fix, -flags and the debugging flags go to singlechecker.
// rulesFile is the contents of the rules file a was configured from (nil
// for none): with a's flags, it keys the cached results.
func standalone(args []string, a *analysis.Analyzer, s streams, rulesFile []byte) int {
	var o options
	fs := newFlagSet(a, &o)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(s.out, a, fs)
			return 0
		}
		fmt.Fprintf(s.errs, "%s: %v\nrun %s -help for the flags\n", a.Name, err, a.Name)
		return 2
	}
	o.dir = s.dir
	if err := o.validate(); err != nil {
		fmt.Fprintf(s.errs, "%s: %v\n", a.Name, err)
		return 2
	}
	if o.printFlags || o.handOver() || isVetConfig(fs.Args()) {
		handOver(a, o)
	}
	switch {
	case fs.NArg() == 0:
		usage(s.errs, a, fs)
		return 1
	case fs.NArg() == 1 && fs.Arg(0) == "help": // go vet's usage says "Run 'TOOL help'"
		usage(s.out, a, fs)
		return 0
	}
	return analyse(fs.Args(), a, o, s, configSalt(a, rulesFile))
}

// isVetConfig reports whether the arguments are go vet's unitchecker
// protocol: one .cfg file. (go vet passes its -tags with the value apart,
// so this is known only once the flags are parsed.)
func isVetConfig(args []string) bool {
	return len(args) == 1 && strings.HasSuffix(args[0], ".cfg")
}

// handOver runs singlechecker on the command line, which it parses again:
// the flags it lacks are declared for it, but for -flags, which tells go
// vet what it may pass (the output formats and baselines are standalone
// only). Build tags reach its loader through GOFLAGS.
func handOver(a *analysis.Analyzer, o options) {
	if !o.printFlags {
		ownFlags(flag.CommandLine, new(options))
	}
	if o.tags != "" {
		os.Setenv("GOFLAGS", strings.TrimSpace(os.Getenv("GOFLAGS")+" -tags="+o.tags))
	}
	singlechecker.Main(a)
}

// analyse runs a on the packages matching patterns and their
// dependencies, salt keying the cached results, and writes the findings
// in the chosen format, or, with -learned, what the packages learned.
func analyse(patterns []string, a *analysis.Analyzer, o options, s streams, salt []byte) int {
	progress := startProgress(s.errs, s.terminal)
	res, err := driver.Run(patterns, a, driverOptions(o, salt, progress))
	progress.stop()
	if err != nil {
		fmt.Fprintf(s.errs, "%s: %v\n", a.Name, err)
		return 1
	}
	status := 0
	if printLoadErrors(s.errs, res.Roots, s.dir)+printAnalysisErrors(s.errs, res.Roots, a.Name) > 0 {
		status = 1
	}
	if o.learned {
		if err := writeLearned(s.out, learnedPackages(res.Roots), packageLookup(res.Roots)); err != nil {
			fmt.Fprintf(s.errs, "%s: %v\n", a.Name, err)
			return 1
		}
		return status // findings do not count: the run is for what it learned
	}
	findings := collect(res.Roots)
	if o.writeBaseline != "" {
		if err := writeBaseline(o.writeBaseline, findings); err != nil {
			fmt.Fprintf(s.errs, "%s: %v\n", a.Name, err)
			return 1
		}
		fmt.Fprintf(s.errs, "%s: recorded %s in %s\n", a.Name, plural(len(findings), "finding"), o.writeBaseline)
		return status
	}
	if o.baseline != "" {
		b, err := readBaseline(o.baseline)
		if err != nil {
			fmt.Fprintf(s.errs, "%s: %v\n", a.Name, err)
			return 1
		}
		findings = filterBaseline(b, findings)
	}
	if st := report(findings, res.Roots, a, o, s); status == 0 {
		status = st
	}
	if misconfigured(findings) {
		status = 1 // a bad directive is a bad configuration, as a bad rules file is
	}
	return status
}

// driverOptions says how the driver runs for o: the build tags and tests
// asked for, the cache keyed by salt, the analyzer's results kept for
// -learned, and progress counting the packages.
func driverOptions(o options, salt []byte, p *progress) driver.Options {
	return driver.Options{
		Dir:         o.dir,
		Tests:       o.tests,
		Tags:        o.tags,
		CacheDir:    o.cache,
		Salt:        salt,
		KeepResults: o.learned,
		Total:       p.setTotal,
		Done:        p.finished,
	}
}

// configSalt returns what keys the cached results besides the sources:
// the values of a's flags (-rules, -checks) and the contents of the rules
// file, which the analyzer was configured from before the run.
func configSalt(a *analysis.Analyzer, rulesFile []byte) []byte {
	h := sha256.New()
	a.Flags.VisitAll(func(f *flag.Flag) {
		fmt.Fprintf(h, "-%s=%q\n", f.Name, f.Value.String())
	})
	h.Write(rulesFile)
	return h.Sum(nil)
}

// visit calls f on each of pkgs and the packages they import, directly
// or not, once, imports first (in import path order), as packages.Visit
// does.
func visit(pkgs []*driver.Package, f func(*driver.Package)) {
	seen := make(map[*driver.Package]bool)
	var walk func(*driver.Package)
	walk = func(p *driver.Package) {
		if seen[p] {
			return
		}
		seen[p] = true
		for _, path := range slices.Sorted(maps.Keys(p.Imports)) {
			walk(p.Imports[path])
		}
		f(p)
	}
	for _, p := range pkgs {
		walk(p)
	}
}

// printLoadErrors prints each error of listing, parsing and type-checking
// the roots and their dependencies once (a package and its test variant
// share most) and returns how many it printed.
func printLoadErrors(w io.Writer, roots []*driver.Package, dir string) int {
	seen := map[string]bool{}
	print := func(line string) {
		if !seen[line] {
			seen[line] = true
			fmt.Fprintln(w, line)
		}
	}
	files := map[string]bool{} // the files an error was printed for
	visit(roots, func(p *driver.Package) {
		if p.Module != nil && p.Module.Error != nil {
			print("lifecyclecheck: " + p.Module.Error.Err)
		}
		broken := false // a file that does not list or parse: its type errors follow from that
		for _, e := range p.Errors {
			if e.Kind != packages.TypeError {
				broken = true
			}
		}
		for _, e := range p.Errors {
			if broken && e.Kind == packages.TypeError {
				continue
			}
			if e.Pos == "" || e.Pos == "-" {
				print("lifecyclecheck: " + e.Msg)
				continue
			}
			file := errorFile(e.Pos, dir)
			if e.Kind != packages.TypeError && files[file] {
				continue // one error a file that is no Go source (a binary x.go has one on every line)
			}
			files[file] = true
			print(e.Pos + ": " + e.Msg)
		}
	})
	return len(seen)
}

// errorFile returns the absolute path of the file of an error position
// (file:line:col; go list's are relative to dir, the directory packages
// were loaded from, "" for the working directory).
func errorFile(pos, dir string) string {
	file := pos
	for range 2 {
		if i := strings.LastIndexByte(file, ':'); i > 0 {
			if _, err := strconv.Atoi(file[i+1:]); err == nil {
				file = file[:i]
			}
		}
	}
	if !filepath.IsAbs(file) {
		file = filepath.Join(dir, file)
	}
	if abs, err := filepath.Abs(file); err == nil {
		return abs
	}
	return file
}

// printAnalysisErrors prints the errors of the analysis itself, of the
// roots and their dependencies, and returns their number. The driver's
// errors that only follow from others (the analysis skipped in a package
// with load errors, or one that imports such a package or a failure,
// directly or not: a failed prerequisite) are left out: the load error or
// the first failure says it all.
func printAnalysisErrors(w io.Writer, roots []*driver.Package, name string) int {
	failed := make(map[*driver.Package]bool) // it or an import of it has errors or failed
	n := 0
	visit(roots, func(p *driver.Package) {
		below := importFailed(p, failed)
		failed[p] = below || len(p.Errors) > 0 || p.Err != nil
		if p.Err == nil || len(p.Errors) > 0 || below {
			return
		}
		fmt.Fprintf(w, "%s: %s: %v\n", name, p.ID, p.Err)
		n++
	})
	return n
}

// importFailed reports whether a package p imports has errors or failed,
// directly or not, given failed for each of its imports.
func importFailed(p *driver.Package, failed map[*driver.Package]bool) bool {
	for _, imp := range p.Imports {
		if failed[imp] {
			return true
		}
	}
	return false
}

// plural returns "1 finding", "2 findings".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// misconfigured reports whether a finding is about a malformed, misplaced
// or unused //lifecycle: directive.
func misconfigured(findings []finding) bool {
	for _, f := range findings {
		if f.diag.Category == rules.CategoryDirective {
			return true
		}
	}
	return false
}
