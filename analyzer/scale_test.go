package analyzer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer"
)

// generated writes a package with one function of conds sequential
// conditional inserts of one object (into conds maps) followed by a close
// and a free on an error path, and a call chain depth calls deep from an
// insert down to a free. It returns the loaded package.
func generated(t testing.TB, copies, conds, depth int) []*packages.Package {
	t.Helper()
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("package gen\n\nimport \"sync\"\n\ntype Obj struct{ k string }\n\nfunc (o *Obj) Close() error { return nil }\n\nvar pool sync.Pool\n\n")
	for i := range conds {
		fmt.Fprintf(&b, "var m%d = map[string]*Obj{}\n", i)
	}
	for n := range copies {
		writeConds(&b, n, conds)
	}
	b.WriteString("var byKey = map[string]*Obj{}\n\n")
	b.WriteString("func Insert0(o *Obj) { byKey[o.k] = o }\n")
	for i := 1; i < depth; i++ {
		fmt.Fprintf(&b, "func Insert%d(o *Obj) { Insert%d(o) }\n", i, i-1)
	}
	b.WriteString("func Free0(o *Obj) { pool.Put(o) }\n")
	for i := 1; i < depth; i++ {
		fmt.Fprintf(&b, "func Free%d(o *Obj) { Free%d(o) }\n", i, i-1)
	}
	fmt.Fprintf(&b, "\nfunc Chain(o *Obj) {\n\tInsert%d(o)\n\tFree%d(o)\n}\n", depth-1, depth-1)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module gen\n\ngo 1.26\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "gen.go"), []byte(b.String()), 0o644))
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax, Dir: dir}, ".")
	require.NoError(t, err)
	require.Zero(t, packages.PrintErrors(pkgs))
	return pkgs
}

// timedRun runs lifecyclecheck on pkgs and returns its diagnostics and the
// time its pass over package gen took (the fastest of runs; SSA
// construction and the dependencies are not counted).
func timedRun(t testing.TB, pkgs []*packages.Package, runs int) ([]analysis.Diagnostic, time.Duration) {
	t.Helper()
	best := time.Duration(1 << 62)
	var diags []analysis.Diagnostic
	for range runs {
		g, err := checker.Analyze([]*analysis.Analyzer{analyzer.New(analyzer.Config{})}, pkgs, nil)
		require.NoError(t, err)
		diags = nil
		for act := range g.All() {
			if act.Package.PkgPath == "gen" && act.Analyzer.Name == analyzer.Name {
				diags = append(diags, act.Diagnostics...)
				best = min(best, act.Duration)
			}
		}
	}
	return diags, best
}

// TestGeneratedCorpus: 40 sequential conditions (on one object, and on 40
// objects) and a call chain 300 deep are reported (nothing is dropped at
// the state bound), and four times the code (four such functions, a chain
// four times as deep) takes less than ten times as long (sixteen if it were quadratic; the margin is for a busy machine): the pass is
// linear in code size, not a path enumeration (2^40 paths here). Within
// one function the cost is blocks × facts per state, and facts grow with
// the objects indexed at once (see the package doc).
func TestGeneratedCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("loads and analyses generated packages")
	}
	smallPkgs := generated(t, 1, 40, 300)
	small, dsmall := timedRun(t, smallPkgs, 5)
	var msgs []string
	for _, d := range small {
		msgs = append(msgs, d.Message)
	}
	require.Len(t, small, 3+40, "%q", msgs)
	require.Contains(t, strings.Join(msgs, "\n"), "o closed by o.Close while still in indexes m0, m1, m2, m3 and 36 more")
	require.Contains(t, strings.Join(msgs, "\n"), "o freed by pool.Put while still in indexes m0, m1, m2, m3 and 36 more")
	require.Contains(t, strings.Join(msgs, "\n"), "o freed by Free299 while still in index byKey")
	require.Contains(t, strings.Join(msgs, "\n"), "o39 closed by o39.Close while still in index m39")

	largePkgs := generated(t, 4, 40, 1200)
	// A busy machine can stretch one measurement: measure again (three
	// tries) before calling the growth superlinear.
	var ratio float64
	for try := 0; try < 3; try++ {
		if try > 0 {
			_, dsmall = timedRun(t, smallPkgs, 5)
		}
		_, dlarge := timedRun(t, largePkgs, 5)
		ratio = float64(dlarge) / float64(dsmall)
		t.Logf("40 conditions, chain 300: %v; four such functions, chain 1200: %v (%.2fx)", dsmall, dlarge, ratio)
		if ratio < 10 {
			break
		}
	}
	require.Less(t, ratio, 10.0, "four times the code should take about four times as long (sixteen if quadratic)")
}

// writeConds writes copy n of the functions with conds sequential
// conditions: one object into conds maps, and conds objects.
func writeConds(b *strings.Builder, n, conds int) {
	fmt.Fprintf(b, "func Conds%d(o *Obj, c []bool, fail bool) {\n", n)
	for i := range conds {
		fmt.Fprintf(b, "\tif c[%d] {\n\t\tm%d[o.k] = o\n\t}\n", i, i)
	}
	b.WriteString("\tif fail {\n\t\to.Close()\n\t\treturn\n\t}\n\tif c[0] != c[1] {\n\t\tpool.Put(o)\n\t}\n}\n\n")
	// Many objects, each inserted under its own condition, all closed on
	// the error path.
	fmt.Fprintf(b, "func Many%d(k string, c []bool, fail bool) {\n", n)
	for i := range conds {
		fmt.Fprintf(b, "\to%d := &Obj{k: k}\n\tif c[%d] {\n\t\tm%d[k] = o%d\n\t}\n", i, i, i, i)
	}
	b.WriteString("\tif fail {\n")
	for i := range conds {
		fmt.Fprintf(b, "\t\to%d.Close()\n", i)
	}
	b.WriteString("\t}\n}\n\n")
}
