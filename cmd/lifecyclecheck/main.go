// Command lifecyclecheck finds objects freed while an index still holds
// them. It runs standalone (lifecyclecheck ./...) and as a vet tool
// (go vet -vettool=$(command -v lifecyclecheck) ./...).
//
// The rules file (-rules=FILE, relative to the module root, or
// .lifecyclecheck.yaml there) is read and resolved before any analysis: a
// bad one stops the run with FILE:LINE: problem and exit status 1, and so
// does a bad -checks value.
//
// lifecyclecheck -learned ./... runs the same analysis but prints, instead
// of findings, what each package's functions were learned to do, as a
// rules file: their inserts, deletes, frees and closes, and the groups of
// indexes they remove an object from together; what a rule cannot say is
// a comment that says why.
package main

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/tools/go/analysis/singlechecker"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer"
	"github.com/lifecyclecheck/lifecyclecheck/internal/version"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

func main() {
	if status, ok := version.Print(os.Stdout, os.Stderr, analyzer.Name, os.Args[1:]); ok {
		os.Exit(status)
	}
	inv := parseInvocation(os.Args[1:])
	cfg := analyzer.Config{}
	if inv.analyses {
		loaded, err := inv.config()
		if err != nil {
			var fe *rules.FileError
			if !errors.As(err, &fe) {
				err = fmt.Errorf("lifecyclecheck: %w", err)
			}
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		cfg.Rules, cfg.Checks = loaded.Rules, loaded.Checks
	}
	a := analyzer.New(cfg)
	if inv.vetCfg == "" {
		os.Exit(standalone(os.Args[1:], a, streams{out: os.Stdout, errs: os.Stderr, terminal: isTerminal(os.Stderr)}))
	}
	singlechecker.Main(a)
}
