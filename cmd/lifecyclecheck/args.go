package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
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
		}
	}
	if len(positional) == 1 && strings.HasSuffix(positional[0], ".cfg") {
		inv.vetCfg = positional[0]
	}
	return inv
}

// packageDir returns the directory of the packages analysed: in vet mode
// the package's own (its .cfg says), else the working directory.
func (inv invocation) packageDir() (string, error) {
	if inv.vetCfg == "" {
		return os.Getwd()
	}
	data, err := os.ReadFile(inv.vetCfg)
	if err != nil {
		return "", err
	}
	var cfg struct{ Dir string }
	if err := json.Unmarshal(data, &cfg); err != nil {
		return "", fmt.Errorf("cannot decode %s: %v", inv.vetCfg, err)
	}
	if cfg.Dir == "" {
		return os.Getwd()
	}
	return cfg.Dir, nil
}
