package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/lifecyclecheck/lifecyclecheck/config"
)

// invocation is what the command line says before the driver parses it.
type invocation struct {
	rules    string // the -rules value, "" if absent
	vetCfg   string // the .cfg file of go vet's unitchecker protocol
	analyses bool   // false for -V, -flags and -help, which analyse nothing
}

// parseInvocation finds the -rules flag and the mode in args. The driver
// parses them again; this only needs what decides how to load rules.
// Any spelling the flag package accepts is understood: -rules=F, --rules=F,
// -rules F, and the analyzer-prefixed -lifecyclecheck.rules.
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
		case "rules", "lifecyclecheck.rules":
			if !hasValue && i+1 < len(args) {
				i++
				value = args[i]
			}
			inv.rules = value
		case "V", "flags", "help", "h":
			inv.analyses = false
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
