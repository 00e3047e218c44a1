package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/lifecyclecheck/lifecyclecheck/config"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// invocation is what the command line says before the driver parses it.
type invocation struct {
	rules     string // the -rules value, "" if absent
	checks    string // the -checks value, if hasChecks
	hasChecks bool
	vetCfg    string // the .cfg file of go vet's unitchecker protocol
	analyses  bool   // false for -V, -flags, -help and -explain, which analyse nothing
	explain   string // the -explain value
	explains  bool
	baseline  string // the -baseline value, which go vet runs need in the analyzer
}

// parseInvocation finds the -rules and -checks flags and the mode in args.
// The driver parses them again; this only needs what decides how to load
// the configuration. Any spelling the flag package accepts is understood:
// -rules=F, --rules=F, -rules F, and the analyzer-prefixed
// -lifecyclecheck.rules; the same for -checks. The last one given wins,
// as with the flag package.
func parseInvocation(args []string) invocation {
	inv := invocation{analyses: true}
	var positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			positional = append(positional, a)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch name {
		case "rules", "lifecyclecheck.rules", "checks", "lifecyclecheck.checks":
			if !hasValue && i+1 < len(args) {
				i++
				value = args[i]
			}
			if strings.HasSuffix(name, "rules") {
				inv.rules = value
			} else {
				inv.checks, inv.hasChecks = value, true
			}
		case "V", "flags", "help", "h":
			inv.analyses = false
		case "baseline", "lifecyclecheck.baseline":
			if !hasValue && i+1 < len(args) {
				i++
				value = args[i]
			}
			inv.baseline = value
		case "explain":
			if !hasValue && i+1 < len(args) {
				i++
				value = args[i]
			}
			inv.explain, inv.explains, inv.analyses = value, true, false
		case "tags": // go vet passes -tags with its value apart
			if !hasValue {
				i++
			}
		}
	}
	if len(positional) == 1 && strings.HasSuffix(positional[0], ".cfg") {
		inv.vetCfg = positional[0]
	}
	return inv
}

// config loads what the analyzer needs: the -checks selection, checked
// first, and the rules file of the main module with the checks it
// selects, which -checks replaces. Where no rules apply (see moduleRoot),
// only -checks counts.
func (inv invocation) config() (config.Result, error) {
	checks, err := inv.checkSet()
	if err != nil {
		return config.Result{}, err
	}
	root, err := inv.moduleRoot()
	switch {
	case err != nil:
		return config.Result{}, err
	case root == "":
		return config.Result{Checks: checks}, nil
	}
	return config.Options{Root: root, RulesFile: inv.rules, Checks: checks}.Load()
}

// rulesFileContents returns the contents of the rules file that config
// reads: -rules, or rules.DefaultFile, against the module root; nil when
// there is none or no rules apply. A change to it must reanalyse the
// packages, so it keys the cached results.
func (inv invocation) rulesFileContents() []byte {
	root, err := inv.moduleRoot()
	if err != nil || root == "" {
		return nil
	}
	path := cmp.Or(inv.rules, rules.DefaultFile)
	if !filepath.IsAbs(path) {
		path = filepath.Join(root, path)
	}
	data, _ := os.ReadFile(path) // missing: config has failed on a named file; a default one is optional
	return data
}

// checkSet parses the -checks value; nil when the flag is absent.
func (inv invocation) checkSet() (rules.CheckSet, error) {
	if !inv.hasChecks {
		return nil, nil
	}
	if strings.TrimSpace(inv.checks) == "" {
		return nil, fmt.Errorf("-checks is empty: write -checks=all, or a list such as -checks=all,-undo")
	}
	s, err := rules.ParseChecks([]string{inv.checks})
	if err != nil {
		return nil, fmt.Errorf("-checks: %w", err)
	}
	return s, nil
}

// moduleRoot returns the root of the main module, against which the
// rules file is found and resolved, or "" when no rules apply.
//
// Standalone, it is the module of the working directory. In vet mode the
// tool runs in each package's directory, dependencies included (go vet
// computes their facts too): a package of the main module gives the root
// itself; the standard library, which calls no user code, takes no rules;
// a package of another module is run from the module cache, so the main
// module is the one go vet itself runs in, found through its working
// directory where the system shows it (Linux), and else that package
// takes no rules.
func (inv invocation) moduleRoot() (string, error) {
	if inv.vetCfg == "" {
		wd, err := os.Getwd()
		if err != nil {
			return "", err
		}
		return config.ModuleRoot(wd)
	}
	data, err := os.ReadFile(inv.vetCfg)
	if err != nil {
		return "", err
	}
	var cfg struct{ Dir, ModulePath, ModuleVersion string }
	if err := json.Unmarshal(data, &cfg); err != nil {
		return "", fmt.Errorf("cannot decode %s: %v", inv.vetCfg, err)
	}
	switch {
	case cfg.ModuleVersion != "":
		wd, err := os.Readlink(fmt.Sprintf("/proc/%d/cwd", os.Getppid()))
		if err != nil {
			return "", nil
		}
		return config.ModuleRoot(wd)
	case cfg.ModulePath == "" && inGOROOT(cfg.Dir):
		return "", nil
	}
	return config.ModuleRoot(cfg.Dir)
}

// inGOROOT reports whether dir is in the Go tree that go vet runs from.
func inGOROOT(dir string) bool {
	root := os.Getenv("GOROOT") // go vet sets it for its tools
	if root == "" {
		return false
	}
	rel, err := filepath.Rel(root, dir)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
