package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/analysis/singlechecker"
	"golang.org/x/tools/go/packages"

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
// It loads the packages and runs the analysis itself, so as to merge test
// variants, read and write baselines, honour -tags, show progress and
// keep load errors to one line each; -fix, -flags and the debugging flags
// go to singlechecker.
func standalone(args []string, a *analysis.Analyzer, s streams) int {
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
	return analyse(fs.Args(), a, o, s)
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

// analyse loads the packages matching patterns, runs a on them and writes
// the findings in the chosen format, or, with -learned, what the packages
// learned.
func analyse(patterns []string, a *analysis.Analyzer, o options, s streams) int {
	progress := startProgress(s.errs, s.terminal)
	pkgs, err := load(patterns, o)
	if err != nil {
		progress.stop()
		fmt.Fprintf(s.errs, "%s: %v\n", a.Name, err)
		return 1
	}
	progress.setTotal(countPackages(pkgs))
	graph, err := checker.Analyze([]*analysis.Analyzer{progress.counting(a)}, pkgs, nil)
	progress.stop()
	if err != nil {
		fmt.Fprintf(s.errs, "%s: %v\n", a.Name, err)
		return 1
	}
	status := 0
	if printLoadErrors(s.errs, pkgs, s.dir)+printAnalysisErrors(s.errs, graph) > 0 {
		status = 1
	}
	if o.learned {
		if err := writeLearned(s.out, learnedPackages(graph), packageLookup(pkgs)); err != nil {
			fmt.Fprintf(s.errs, "%s: %v\n", a.Name, err)
			return 1
		}
		return status // findings do not count: the run is for what it learned
	}
	findings := collect(graph)
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
	if st := report(findings, graph, a, o, s); status == 0 {
		status = st
	}
	if misconfigured(findings) {
		status = 1 // a bad directive is a bad configuration, as a bad rules file is
	}
	return status
}

// load loads the packages, and their dependencies from source (the
// analyzer's facts need them), with the build tags and tests asked for.
func load(patterns []string, o options) ([]*packages.Package, error) {
	cfg := &packages.Config{
		Mode:  packages.LoadAllSyntax | packages.NeedModule,
		Tests: o.tests,
		Dir:   o.dir,
	}
	if o.tags != "" {
		cfg.BuildFlags = []string{"-tags=" + o.tags}
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err == nil && len(pkgs) == 0 {
		err = fmt.Errorf("%s matched no packages", strings.Join(patterns, " "))
	}
	return pkgs, err
}

// countPackages returns the number of packages the analyzer runs on: the
// initial ones and their dependencies.
func countPackages(pkgs []*packages.Package) int {
	n := 0
	packages.Visit(pkgs, nil, func(*packages.Package) { n++ })
	return n
}

// printLoadErrors prints each error of loading the packages once (a
// package and its test variant share most) and returns how many it
// printed.
func printLoadErrors(w io.Writer, pkgs []*packages.Package, dir string) int {
	seen := map[string]bool{}
	print := func(line string) {
		if !seen[line] {
			seen[line] = true
			fmt.Fprintln(w, line)
		}
	}
	files := map[string]bool{} // the files an error was printed for
	packages.Visit(pkgs, nil, func(p *packages.Package) {
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

// printAnalysisErrors prints the errors of the analysis itself and returns
// their number. The driver's errors that only follow from others (the
// analysis skipped in an ill-typed package, "failed prerequisites" in
// everything that depends on a failure) are left out: the load error or
// the first failure says it all.
func printAnalysisErrors(w io.Writer, graph *checker.Graph) int {
	n := 0
	for act := range graph.All() {
		if act.Err == nil || act.Package.IllTyped || depFailed(act) {
			continue
		}
		fmt.Fprintf(w, "%s: %s: %v\n", act.Analyzer.Name, act.Package.ID, act.Err)
		n++
	}
	return n
}

// depFailed reports whether an action act needs has failed.
func depFailed(act *checker.Action) bool {
	for _, dep := range act.Deps {
		if dep.Err != nil {
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
