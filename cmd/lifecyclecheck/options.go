package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// options are the standalone command's flags.
type options struct {
	format        string // text, json or sarif
	json          bool   // -json, the driver's spelling of -format=json
	context       int    // -c: lines of context around a text report
	tests         bool   // -test: analyse test files too
	tags          string // -tags: build tags for loading packages
	baseline      string // report only findings not in this file
	writeBaseline string // record the findings in this file
	learned       bool   // print what the packages learned instead of findings
	fix, diff     bool
	printFlags    bool     // -flags, asked by go vet
	driverOnly    []string // flags only singlechecker implements, as given
	dir           string   // where to load packages from; "" is the working directory
	cache         string   // -cache: the result cache directory; "" is the default, "off" none
}

// Output formats.
const (
	formatText  = "text"
	formatJSON  = "json"
	formatSARIF = "sarif"
)

// ownFlags declares the flags that singlechecker does not have on fs.
// They are declared on flag.CommandLine too before handing over to it, so
// that the same command line parses there.
func ownFlags(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.format, "format", formatText, "output `format`: text (stderr), json or sarif (stdout; exit 0 with findings)")
	fs.StringVar(&o.baseline, "baseline", "", "report only findings not recorded in this baseline `file`")
	fs.StringVar(&o.writeBaseline, "write-baseline", "", "record the current findings in this baseline `file` and report none")
	fs.StringVar(&o.cache, "cache", "", "cache each package's results in `dir` (default lifecyclecheck under the user cache directory; off: no cache)")
	fs.BoolVar(&o.learned, "learned", false, "instead of findings, print what each package's functions do (inserts, deletes, frees, closes, groups of indexes) as a rules file on stdout; exit 0 findings or not")
	fs.String("explain", "", "print what `check` reports, an example, how to fix it and how to silence it, and exit")
	fs.Var(versionFlag{}, "V", "print the version and exit (-V=full: with the executable's build ID, for go vet)")
	fs.Var(versionFlag{}, "version", "print the version and exit")
}

// newFlagSet declares every flag of the command: its own, the analyzer's
// and those of the go/analysis driver.
func newFlagSet(a *analysis.Analyzer, o *options) *flag.FlagSet {
	fs := flag.NewFlagSet(a.Name, flag.ContinueOnError)
	ownFlags(fs, o)
	a.Flags.VisitAll(func(f *flag.Flag) {
		if fs.Lookup(f.Name) == nil { // -baseline is the command's own here
			fs.Var(f.Value, f.Name, f.Usage)
		}
	})
	fs.BoolVar(&o.json, "json", false, "emit JSON output (-format=json)")
	fs.IntVar(&o.context, "c", -1, "display offending line with this many lines of context")
	fs.BoolVar(&o.tests, "test", true, "indicates whether test files should be analyzed, too")
	fs.StringVar(&o.tags, "tags", "", "comma-separated list of build `tags` to consider satisfied while loading packages")
	fs.BoolVar(&o.fix, "fix", false, "apply all suggested fixes")
	fs.BoolVar(&o.diff, "diff", false, "with -fix, don't update the files, but print a unified diff")
	fs.BoolVar(&o.printFlags, "flags", false, "print analyzer flags in JSON")
	for name, usage := range map[string]string{
		"debug":      "debug `flags`, any subset of \"fpstv\"",
		"cpuprofile": "write CPU profile to this `file`",
		"memprofile": "write memory profile to this `file`",
		"trace":      "write trace log to this `file`",
	} {
		fs.Var(driverOnlyFlag{name, o}, name, usage)
	}
	for _, name := range []string{"source", "v", "all"} {
		fs.Bool(name, false, "no effect (deprecated)")
	}
	return fs
}

// validate checks the combination of flags and settles the format.
func (o *options) validate() error {
	switch {
	case o.json && o.format != formatText && o.format != formatJSON:
		return fmt.Errorf("-json conflicts with -format=%s", o.format)
	case o.json:
		o.format = formatJSON
	}
	switch o.format {
	case formatText, formatJSON, formatSARIF:
	default:
		return fmt.Errorf("unknown -format %q: want text, json or sarif", o.format)
	}
	if o.fix && (o.format != formatText || o.baseline != "" || o.writeBaseline != "") {
		return errors.New("-fix cannot be combined with -json, -format, -baseline or -write-baseline")
	}
	if o.learned && (o.format != formatText || o.baseline != "" || o.writeBaseline != "" || o.handOver()) {
		return errors.New("-learned prints a rules file, not findings: it cannot be combined with -json, -format, -baseline, -write-baseline, -fix or the debugging flags")
	}
	if o.baseline != "" && o.writeBaseline != "" {
		return errors.New("-baseline and -write-baseline do not go together: -write-baseline records every current finding")
	}
	return nil
}

// handOver reports whether singlechecker runs this command line: -fix
// (whose application of edits is internal to x/tools) and the debugging
// and profiling flags.
func (o *options) handOver() bool {
	return o.fix || len(o.driverOnly) > 0
}

// usage prints the help of the command, as singlechecker does.
func usage(w io.Writer, a *analysis.Analyzer, fs *flag.FlagSet) {
	paras := strings.Split(a.Doc, "\n\n")
	fmt.Fprintf(w, "%s: %s\n\n", a.Name, paras[0])
	fmt.Fprintf(w, "Usage: %s [-flag] [package]\n", a.Name)
	fmt.Fprintf(w, "       %s -learned [package]   print what the packages' functions do, as a rules file\n\n", a.Name)
	if len(paras) > 1 {
		fmt.Fprintln(w, strings.Join(paras[1:], "\n\n"))
	}
	fmt.Fprintln(w, "\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// versionFlag lists -V and -version in the help; main answers them before
// any parsing.
type versionFlag struct{}

func (versionFlag) IsBoolFlag() bool    { return true }
func (versionFlag) String() string      { return "" }
func (versionFlag) Set(string) error    { return nil }
func (versionFlag) Get() any            { return nil }
func (f driverOnlyFlag) String() string { return "" }

// driverOnlyFlag records that a flag only singlechecker implements was
// given.
type driverOnlyFlag struct {
	name string
	o    *options
}

func (f driverOnlyFlag) Set(v string) error {
	f.o.driverOnly = append(f.o.driverOnly, f.name+"="+v)
	return nil
}
