package driver

import (
	"fmt"
	"github.com/stretchr/testify/assert"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer"
)

// cacheGo returns a cached value on two paths, each with its own call
// into the index: which one a summary names must not depend on the run.
const cacheGo = `package cache

import "sync"

var lookup sync.Map

type T struct{ n int }

func Get(k int) *T {
	if v, ok := lookup.Load(k); ok {
		return v.(*T)
	}
	v, _ := lookup.LoadOrStore(k, &T{n: k})
	return v.(*T)
}

func Get2(k int) *T {
	if v, ok := lookup.Load(k); ok {
		return v.(*T)
	}
	if k > 1 {
		v, _ := lookup.LoadOrStore(k, &T{n: k})
		return v.(*T)
	}
	v, _ := lookup.LoadOrStore(k, &T{n: -k})
	return v.(*T)
}
`

// TestFactsAreTheSameOnEveryRun checks that analysing the same sources
// gives the same facts, byte for byte: the cache keys of importers rest
// on it.
func TestFactsAreTheSameOnEveryRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/c\n\ngo 1.26\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cache.go"), []byte(cacheGo), 0o644))
	var first [32]byte
	cacheDir := t.TempDir() // the standard library's packages from the cache; the root analysed each time (KeepResults)
	for i := range 12 {
		res, err := Run([]string{"."}, analyzer.New(analyzer.Config{}), Options{Dir: dir, CacheDir: cacheDir, KeepResults: true})
		require.NoError(t, err)
		require.NotEmpty(t, res.Roots[0].facts, "the package has facts")
		if i == 0 {
			first = res.Roots[0].outHash
			continue
		}
		require.Equal(t, first, res.Roots[0].outHash, "run %d", i)
	}
}

// TestFactsAreTheSameInEveryProcess checks that a package's outputs do
// not depend on what else its process analysed: a run of the whole module
// and a run of the package alone, each in a process of its own, give the
// same output hash (gob numbered types by the order a process met them).
func TestFactsAreTheSameInEveryProcess(t *testing.T) {
	if dir := os.Getenv("DRIVER_CHILD_DIR"); dir != "" {
		res, err := Run([]string{os.Getenv("DRIVER_CHILD_PATTERN")}, analyzer.New(analyzer.Config{}), Options{Dir: dir, CacheDir: os.Getenv("DRIVER_CHILD_CACHE"), KeepResults: true})
		require.NoError(t, err)
		for _, p := range res.All {
			if p.PkgPath == "example.com/c/cache" {
				fmt.Printf("outhash %x\n", p.outHash)
			}
		}
		return
	}
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/c\n\ngo 1.26\n"), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "cache"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cache", "cache.go"), []byte(cacheGo), 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "user"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "user", "user.go"), []byte(userGo), 0o644))
	child := func(pattern, cacheDir string) string {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFactsAreTheSameInEveryProcess$")
		cmd.Env = append(os.Environ(), "DRIVER_CHILD_DIR="+dir, "DRIVER_CHILD_PATTERN="+pattern, "DRIVER_CHILD_CACHE="+cacheDir)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		for line := range strings.SplitSeq(string(out), "\n") {
			if h, ok := strings.CutPrefix(line, "outhash "); ok {
				return h
			}
		}
		t.Fatalf("no hash in %s", out)
		return ""
	}
	cacheDir := t.TempDir()
	whole := child("./...", cacheDir)
	alone := child("./cache", cacheDir)
	assert.Equal(t, whole, alone)
}

// userGo uses cache and more: a run of the whole module encodes its facts
// too.
const userGo = `package user

import (
	"fmt"
	"os/exec"
	"strings"
	"github.com/stretchr/testify/assert"
	"os"

	"example.com/c/cache"
)

var byName = map[string]*cache.T{}

func Fail() { os.Exit(1) }

func Put(name string) { byName[name] = cache.Get(len(name)) }
`
