package analyzer_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// raceDriver exercises the fixed code of testdata/src/fixes from many
// goroutines: a fix that put a delete outside the insert's mutex would
// make the race detector fail it.
const raceDriver = `package fixes

import (
	"strconv"
	"sync"
	"testing"
)

func TestFixedCodeUnderRace(t *testing.T) {
	r := &Registry{conns: map[string]*Conn{}}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 200 {
				id := strconv.Itoa(i*1000 + j)
				r.failUnderLock(id, j%2 == 0)
				r.openThenFail(id+"x", j%3 == 0)
				r.addThenFail(&Conn{id: id + "y"}, j%5 == 0)
			}
		}()
	}
	wg.Wait()
}
`

// TestFixedCodeBuildsAndIsRaceFree builds the code the suggested fixes
// produce (the .golden files of testdata/src/fixes), vets it, and runs a
// concurrent driver under the race detector.
func TestFixedCodeBuildsAndIsRaceFree(t *testing.T) {
	if testing.Short() {
		t.Skip("builds with -race")
	}
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("the race detector needs cgo")
	}
	dir := t.TempDir()
	goldens, err := filepath.Glob(filepath.Join(testdata(), "src", "fixes", "*.go.golden"))
	require.NoError(t, err)
	require.NotEmpty(t, goldens)
	for _, g := range goldens {
		src, err := os.ReadFile(g)
		require.NoError(t, err)
		name := strings.TrimSuffix(filepath.Base(g), ".golden")
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), src, 0o644))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "race_test.go"), []byte(raceDriver), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module fixes\n\ngo 1.26\n"), 0o644))
	for _, args := range [][]string{{"vet", "."}, {"test", "-race", "-count=1", "."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1", "GOFLAGS=")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "go %s:\n%s", strings.Join(args, " "), out)
	}
}
