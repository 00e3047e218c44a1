// Command lifecyclecheck finds objects freed while an index still holds
// them. It runs standalone (lifecyclecheck ./...) and as a vet tool
// (go vet -vettool=$(command -v lifecyclecheck) ./...).
//
// The rules file (-rules=FILE, relative to the module root, or
// .lifecyclecheck.yaml there) is read and resolved before any analysis: a
// bad one stops the run with FILE:LINE: problem and exit status 1, and so
// does a bad -checks value.
//
// Standalone, each package's results are cached by the contents of its
// files and its dependencies' and by the configuration (-cache=DIR to
// keep them elsewhere than under the user cache directory, -cache=off to
// analyse everything afresh).
//
// lifecyclecheck -learned ./... runs the same analysis but prints, instead
// of findings, what each package's functions were learned to do, as a
// rules file: their inserts, deletes, frees and closes, and the groups of
// indexes they remove an object from together; what a rule cannot say is
// a comment that says why.
package main

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis/singlechecker"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer"
	bl "github.com/lifecyclecheck/lifecyclecheck/internal/baseline"
	"github.com/lifecyclecheck/lifecyclecheck/internal/version"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

func main() {
	if status, ok := version.Print(os.Stdout, os.Stderr, analyzer.Name, os.Args[1:]); ok {
		os.Exit(status)
	}
	inv := parseInvocation(os.Args[1:])
	if inv.explains {
		os.Exit(explain(os.Stdout, os.Stderr, inv.explain))
	}
	cfg := analyzer.Config{}
	var rulesFile []byte // the rules file's contents, which key the standalone run's cached results
	if inv.analyses {
		if _, err := inv.checkSet(); err != nil {
			if msg := "lifecyclecheck: " + err.Error(); inv.vetCfg == "" || firstToSay(msg) {
				fmt.Fprintln(os.Stderr, msg)
			}
			os.Exit(2) // a bad flag
		}
		loaded, err := inv.config()
		if err != nil {
			var fe *rules.FileError
			if !errors.As(err, &fe) {
				err = fmt.Errorf("lifecyclecheck: %w", err)
			}
			if inv.vetCfg == "" || firstToSay(err.Error()) {
				fmt.Fprintln(os.Stderr, err)
			} else {
				fmt.Fprintln(os.Stderr, "lifecyclecheck: the configuration has errors (printed once, above)")
			}
			os.Exit(1)
		}
		cfg.Rules, cfg.Checks, cfg.Excluded = loaded.Rules, loaded.Checks, loaded.Excluded
		rulesFile = inv.rulesFileContents()
		if inv.vetCfg != "" && inv.baseline != "" {
			counts, root, err := inv.vetBaseline()
			if err != nil {
				if msg := "lifecyclecheck: " + err.Error(); firstToSay(msg) {
					fmt.Fprintln(os.Stderr, msg)
				}
				os.Exit(1)
			}
			cfg.Baseline, cfg.ModuleRoot = counts, root
		}
	}
	a := analyzer.New(cfg)
	if inv.vetCfg == "" {
		os.Exit(standalone(os.Args[1:], a, streams{out: os.Stdout, errs: os.Stderr, terminal: isTerminal(os.Stderr)}, rulesFile))
	}
	singlechecker.Main(a)
}

// explain prints the documentation of check: what it reports, an
// example, how to fix and how to silence it. It returns the exit status:
// 2 for a check that does not exist.
func explain(out, errs io.Writer, check string) int {
	var names []string
	for _, d := range analyzer.CheckDocs() {
		if d.Check == check {
			fmt.Fprint(out, d.Text)
			return 0
		}
		names = append(names, d.Check)
	}
	fmt.Fprintf(errs, "lifecyclecheck: -explain %q: no such check; want one of %s\n", check, strings.Join(names, ", "))
	return 2
}

// firstToSay reports whether this process is the first of its go vet run
// to report the configuration error msg. go vet runs the tool once per
// package, every run a child of the same go command: a marker file named
// for the parent's pid and the message, created exclusively, tells the
// first one, so that a bad rules file is printed once, not once per
// package. When the marker cannot be made, every process reports.
func firstToSay(msg string) bool {
	sum := sha256.Sum256([]byte(msg))
	name := filepath.Join(os.TempDir(), fmt.Sprintf("lifecyclecheck-config-%d-%x", os.Getppid(), sum[:8]))
	f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		if info, err := os.Stat(name); err == nil && time.Since(info.ModTime()) < time.Hour {
			return false
		}
		_ = os.Remove(name) // an old run's, whose pid came round again
		return true
	}
	if err == nil {
		f.Close()
	}
	return true
}

// vetBaseline reads the -baseline file of a go vet run, relative to the
// module root (go vet runs the tool in each package's directory), as the
// counts of the findings it holds; nil for a package outside the main
// module, which go vet analyses only for its facts.
func (inv invocation) vetBaseline() (counts map[string]int, root string, err error) {
	root, err = inv.moduleRoot()
	if err != nil || root == "" {
		return nil, "", err // a package of the standard library or a dependency: analysed for facts only
	}
	path := inv.baseline
	if !filepath.IsAbs(path) {
		path = filepath.Join(root, path)
	}
	b, err := bl.Read(path)
	if err != nil {
		return nil, "", fmt.Errorf("-baseline: %w", err)
	}
	return b.Counts(), root, nil
}
