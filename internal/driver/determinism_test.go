package driver

import (
	"os"
	"path/filepath"
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
