package main

import (
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nogoPoolGo frees through a sync.Pool: its summary (free p0) is the fact
// that the importing package needs.
const nogoPoolGo = `package pool

import "sync"

type Conn struct{ ID string }

var p sync.Pool

// Release hands c's memory out again.
func Release(c *Conn) { p.Put(c) }
`

// nogoAppGo frees, through pool.Release, a connection its index holds.
const nogoAppGo = `package app

import "example.com/m/pool"

var byID = map[string]*pool.Conn{}

func Drop(id string) {
	c := &pool.Conn{ID: id}
	byID[id] = c
	pool.Release(c)
}
`

// listedPackage is what go list -export -json says of a package.
type listedPackage struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Export     string
	Standard   bool
	Imports    []string
	ImportMap  map[string]string
}

// TestUnitcheckerConfigLikeNogo drives the command the way build systems
// that distribute go/analysis passes do (Bazel's rules_go nogo, go vet):
// one process per package, given a unitchecker .cfg file naming its Go
// files, the export data of its imports and the fact files of the packages
// it depends on, writing its own facts to a file. Nothing is shared between
// the processes but those files: the finding in app needs the facts that
// the run on pool wrote (app's process never reads pool's source).
func TestUnitcheckerConfigLikeNogo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and runs go list -export")
	}
	t.Parallel()
	dir := writeModule(t, map[string]string{"pool/pool.go": nogoPoolGo, "app/app.go": nogoAppGo})
	bin := filepath.Join(t.TempDir(), "lifecyclecheck")
	build := exec.Command("go", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	list := exec.Command("go", "list", "-export", "-deps", "-json", "./...")
	list.Dir = dir
	data, err := list.Output()
	require.NoError(t, err)
	pkgs := map[string]listedPackage{}
	exports := map[string]string{}
	var order []string // dependencies first, as go list -deps prints them
	dec := json.NewDecoder(strings.NewReader(string(data)))
	for dec.More() {
		var p listedPackage
		require.NoError(t, dec.Decode(&p))
		pkgs[p.ImportPath] = p
		exports[p.ImportPath] = p.Export
		order = append(order, p.ImportPath)
	}

	facts := t.TempDir()
	vetx := map[string]string{} // the fact files written so far
	run := func(path string) (int, string) {
		p := pkgs[path]
		var files []string
		for _, f := range p.GoFiles {
			files = append(files, filepath.Join(p.Dir, f))
		}
		importMap := map[string]string{} // every import, as go vet writes it
		for _, imp := range p.Imports {
			importMap[imp] = imp
		}
		for from, to := range p.ImportMap {
			importMap[from] = to
		}
		standard := map[string]bool{}
		for ip, q := range pkgs {
			standard[ip] = q.Standard
		}
		name := strings.ReplaceAll(path, "/", "_")
		cfg := map[string]any{
			"ID": path, "Compiler": "gc", "Dir": p.Dir, "ImportPath": path, "GoVersion": "go1.26",
			"GoFiles": files, "ImportMap": importMap, "PackageFile": exports, "Standard": standard,
			"PackageVetx": maps.Clone(vetx), "VetxOnly": p.Standard,
			"VetxOutput": filepath.Join(facts, name+".vetx"),
		}
		if !p.Standard {
			cfg["ModulePath"] = "example.com/m"
		}
		b, err := json.Marshal(cfg)
		require.NoError(t, err)
		cfgFile := filepath.Join(facts, name+".cfg")
		require.NoError(t, os.WriteFile(cfgFile, b, 0o644))
		cmd := exec.Command(bin, cfgFile)
		cmd.Dir = p.Dir
		out, _ := cmd.CombinedOutput()
		vetx[path] = filepath.Join(facts, name+".vetx")
		return cmd.ProcessState.ExitCode(), string(out)
	}

	// Every package in dependency order, each in a process of its own, as
	// nogo and go vet run them: the standard library's for facts only.
	for _, path := range order {
		if path == "example.com/m/app" {
			continue
		}
		status, res := run(path)
		require.Equal(t, 0, status, "%s: %s", path, res)
	}
	info, err := os.Stat(vetx["example.com/m/pool"])
	require.NoError(t, err, "the run on pool writes its facts")
	assert.Positive(t, info.Size())

	// app's process sees pool only through its export data and facts: the
	// free inside Release is known from the fact file alone.
	status, res := run("example.com/m/app")
	assert.Equal(t, 1, status, res)
	assert.Contains(t, res, "c freed by pool.Release while still in index byID")
}
