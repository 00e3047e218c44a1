// Command summarize turns the output of bench/realmods/run.sh into tables.
//
//	summarize lines DIR   prints the Go lines under DIR (see countLines)
//	summarize local-replaces
//	                      reads go mod edit -json on stdin and prints the
//	                      replaced modules (path or path@version, as
//	                      go mod edit -dropreplace takes them) whose
//	                      replacement is a directory
//	summarize OUT         reads OUT/*.meta, OUT/*.json and OUT/*.err and
//	                      writes OUT/summary.tsv, OUT/reports.txt,
//	                      OUT/reports-full.txt and OUT/errors.txt
//
// A NAME.meta file holds one "key<TAB>value" a line, written by run.sh:
// seq, module, version, name, dir, rc, wall, rss_kb, lines, packages,
// status (set only when run.sh knows it: fetch-error, prep-error) and note.
// NAME.json is the -json output of golang.org/x/tools' checker driver:
//
//	{"pkg id": {"analyzer": [{"category", "posn", "end", "message",
//	  "suggested_fixes", "related": [{"posn", "end", "message"}]}]}}
//
// or {"pkg id": {"analyzer": {"error": "..."}}} for a package that failed
// to load or whose analysis failed (internal/analysis/driverutil.JSONTree).
// Only packages with diagnostics or an error appear. A package's test
// variant ("p [p.test]") repeats the findings in p's non-test files;
// reports are deduplicated on (category, position, message).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

func main() {
	args := os.Args[1:]
	switch {
	case len(args) == 2 && args[0] == "lines":
		n, err := countLines(args[1])
		if err != nil {
			fatal(err)
		}
		fmt.Println(n)
	case len(args) == 1 && args[0] == "local-replaces":
		data, err := io.ReadAll(os.Stdin)
		if err != nil {
			fatal(err)
		}
		olds, err := localReplaces(data)
		if err != nil {
			fatal(err)
		}
		for _, o := range olds {
			fmt.Println(o)
		}
	case len(args) == 1:
		if err := summarize(args[0]); err != nil {
			fatal(err)
		}
	default:
		fmt.Fprintln(os.Stderr, "usage: summarize lines DIR | summarize local-replaces <go.mod.json | summarize OUTDIR")
		os.Exit(2)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "summarize:", err)
	os.Exit(1)
}

// localReplaces returns the replace directives of a go.mod (as go mod
// edit -json prints it) whose replacement is a directory, not a module: a
// new path starting with ./, ../ or /. They point outside the module's
// zip, so a copy of the module cannot build with them.
func localReplaces(goModJSON []byte) ([]string, error) {
	var gm struct {
		Replace []struct {
			Old, New struct{ Path, Version string }
		}
	}
	if err := json.Unmarshal(goModJSON, &gm); err != nil {
		return nil, err
	}
	var olds []string
	for _, r := range gm.Replace {
		p := r.New.Path
		if !strings.HasPrefix(p, "./") && !strings.HasPrefix(p, "../") && !filepath.IsAbs(p) {
			continue
		}
		old := r.Old.Path
		if r.Old.Version != "" {
			old += "@" + r.Old.Version
		}
		olds = append(olds, old)
	}
	return olds, nil
}

// freed is the category a report without one is counted under: the
// analyzer's main report (an object freed while still in an index).
const freed = "freed"

// A report is one diagnostic, its position relative to the module dir.
type report struct {
	Category string
	Posn     string // file:line:col
	Message  string
	Related  []string // "posn<TAB>message"
}

// A pkgError is a package whose load or analysis failed.
type pkgError struct {
	Pkg, Err string
}

type jsonDiag struct {
	Category string `json:"category"`
	Posn     string `json:"posn"`
	Message  string `json:"message"`
	Related  []struct {
		Posn    string `json:"posn"`
		Message string `json:"message"`
	} `json:"related"`
}

// parseTree reads the driver's -json output. Positions under dir are made
// relative to it. Reports come back deduplicated and sorted by position;
// errors sorted by package.
func parseTree(data []byte, dir string) ([]report, []pkgError, error) {
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal(data, &tree); err != nil {
		return nil, nil, err
	}
	var reports []report
	var errs []pkgError
	// Visit packages in name order, so a package comes before its test
	// variant ("p [p.test]") and the report kept from a pair is the same
	// on every run; of two copies of one report, the one with more
	// related positions is kept.
	pkgs := make([]string, 0, len(tree))
	for pkg := range tree {
		pkgs = append(pkgs, pkg)
	}
	sort.Strings(pkgs)
	seen := map[string]int{} // report key -> index in reports
	for _, pkg := range pkgs {
		byAnalyzer := tree[pkg]
		// The analyzer and its prerequisites (buildssa, ctrlflow) each
		// have an entry; keep one error per package, preferring the cause
		// to "failed prerequisites: ...".
		analyzers := make([]string, 0, len(byAnalyzer))
		for a := range byAnalyzer {
			analyzers = append(analyzers, a)
		}
		sort.Strings(analyzers)
		pkgErr := ""
		for _, a := range analyzers {
			raw := bytes.TrimSpace(byAnalyzer[a])
			if len(raw) > 0 && raw[0] == '{' {
				var e struct {
					Error string `json:"error"`
				}
				if err := json.Unmarshal(raw, &e); err != nil {
					return nil, nil, fmt.Errorf("package %s: %v", pkg, err)
				}
				if pkgErr == "" || prereq(pkgErr) && !prereq(e.Error) {
					pkgErr = e.Error
				}
				continue
			}
			var diags []jsonDiag
			if err := json.Unmarshal(raw, &diags); err != nil {
				return nil, nil, fmt.Errorf("package %s: %v", pkg, err)
			}
			for _, d := range diags {
				r := report{Category: d.Category, Posn: relPosn(d.Posn, dir), Message: d.Message}
				if r.Category == "" {
					r.Category = freed
				}
				for _, rel := range d.Related {
					r.Related = append(r.Related, relPosn(rel.Posn, dir)+"\t"+rel.Message)
				}
				key := r.Category + "\x00" + r.Posn + "\x00" + r.Message
				if i, ok := seen[key]; !ok {
					seen[key] = len(reports)
					reports = append(reports, r)
				} else if len(r.Related) > len(reports[i].Related) {
					reports[i] = r
				}
			}
		}
		if pkgErr != "" {
			errs = append(errs, pkgError{pkg, pkgErr})
		}
	}
	sort.Slice(reports, func(i, j int) bool { return posnLess(reports[i], reports[j]) })
	sort.Slice(errs, func(i, j int) bool { return errs[i].Pkg < errs[j].Pkg })
	return reports, errs, nil
}

func prereq(err string) bool { return strings.HasPrefix(err, "failed prerequisites") }

// relPosn makes an absolute file:line:col relative to dir, if it is
// under dir.
func relPosn(posn, dir string) string {
	if dir == "" {
		return posn
	}
	for _, d := range []string{dir, evalSymlinks(dir)} {
		if rest, ok := strings.CutPrefix(posn, strings.TrimSuffix(d, "/")+"/"); ok {
			return rest
		}
	}
	return posn
}

func evalSymlinks(dir string) string {
	if d, err := filepath.EvalSymlinks(dir); err == nil {
		return d
	}
	return dir
}

// splitPosn splits file:line:col; line and col are 0 when absent.
func splitPosn(posn string) (file string, line, col int) {
	file = posn
	if i := strings.LastIndexByte(file, ':'); i >= 0 {
		if n, err := strconv.Atoi(file[i+1:]); err == nil {
			file, col = file[:i], n
		}
	}
	if i := strings.LastIndexByte(file, ':'); i >= 0 {
		if n, err := strconv.Atoi(file[i+1:]); err == nil {
			file, line = file[:i], n
		}
	}
	if line == 0 && col != 0 { // file:line only
		line, col = col, 0
	}
	return file, line, col
}

func posnLess(a, b report) bool {
	af, al, ac := splitPosn(a.Posn)
	bf, bl, bc := splitPosn(b.Posn)
	if af != bf {
		return af < bf
	}
	if al != bl {
		return al < bl
	}
	if ac != bc {
		return ac < bc
	}
	if a.Category != b.Category {
		return a.Category < b.Category
	}
	return a.Message < b.Message
}

var generatedRE = regexp.MustCompile(`(?m)^// Code generated .* DO NOT EDIT\.$`)

// countLines counts the lines of the .go files under dir, tests included,
// that are not generated (ast.IsGenerated, or the marker comment before
// the package clause when a file does not parse), skipping directories the
// go command ignores for ./...: vendor, testdata, and names starting with
// "." or "_". A line is a newline, plus a last line without one.
func countLines(dir string) (int, error) {
	total := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != dir && (name == "vendor" || name == "testdata" ||
				strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !strings.HasSuffix(name, ".go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if isGenerated(path, data) {
			return nil
		}
		total += bytes.Count(data, []byte("\n"))
		if len(data) > 0 && data[len(data)-1] != '\n' {
			total++
		}
		return nil
	})
	return total, err
}

func isGenerated(path string, data []byte) bool {
	f, err := parser.ParseFile(token.NewFileSet(), path, data, parser.PackageClauseOnly|parser.ParseComments)
	if err == nil {
		return ast.IsGenerated(f)
	}
	head := data
	if i := bytes.Index(data, []byte("\npackage ")); i >= 0 {
		head = data[:i]
	}
	return generatedRE.Match(head)
}

// A module is one row of the summary.
type module struct {
	meta    map[string]string
	seq     int
	reports []report
	errs    []pkgError
	status  string
	note    string
}

func readMeta(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "\t")
		if ok {
			m[k] = v // a later line wins
		}
	}
	return m, sc.Err()
}

// load reads one module's meta, JSON and stderr and decides its status:
// what run.sh set (fetch-error, prep-error); else timeout for exit 124 or
// 137 (timeout(1), and its kill after the grace period); else crash for a
// panic or a fatal runtime error, or an exit without parseable JSON; else
// load-error when the driver exited non-zero or some package has an
// error entry; else ok.
func load(out, metaPath string) (*module, error) {
	meta, err := readMeta(metaPath)
	if err != nil {
		return nil, err
	}
	m := &module{meta: meta, status: meta["status"], note: meta["note"]}
	m.seq, _ = strconv.Atoi(meta["seq"])
	if m.status != "" {
		return m, nil
	}
	name := meta["name"]
	rc := meta["rc"]
	stderr, _ := os.ReadFile(filepath.Join(out, name+".err"))
	data, jerr := os.ReadFile(filepath.Join(out, name+".json"))
	if jerr == nil {
		m.reports, m.errs, jerr = parseTree(data, meta["dir"])
	}
	switch {
	case rc == "124" || rc == "137":
		m.status = "timeout"
	case bytes.Contains(stderr, []byte("panic: ")) || bytes.Contains(stderr, []byte("fatal error: ")):
		m.status = "crash"
	case jerr != nil:
		m.status = "crash"
		m.note = strings.TrimSpace(m.note + " no JSON: " + jerr.Error())
	case rc != "0" || len(m.errs) > 0:
		m.status = "load-error"
	default:
		m.status = "ok"
	}
	return m, nil
}

func summarize(out string) error {
	paths, err := filepath.Glob(filepath.Join(out, "*.meta"))
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return fmt.Errorf("no .meta files in %s", out)
	}
	var mods []*module
	for _, p := range paths {
		m, err := load(out, p)
		if err != nil {
			return err
		}
		mods = append(mods, m)
	}
	sort.SliceStable(mods, func(i, j int) bool { return mods[i].seq < mods[j].seq })

	// Columns: every check, in the tool's order (a check that reported
	// nothing shows 0), then any other category seen, sorted.
	cats := rules.Checks()
	seenCat := make(map[string]bool)
	for _, c := range cats {
		seenCat[c] = true
	}
	n := len(cats)
	for _, m := range mods {
		for _, r := range m.reports {
			if !seenCat[r.Category] {
				seenCat[r.Category] = true
				cats = append(cats, r.Category)
			}
		}
	}
	sort.Strings(cats[n:])

	var tsv, rep, full, errs bytes.Buffer
	fmt.Fprintf(&tsv, "module\tversion\tlines\tpackages\t%s\terrors\twall_s\tpeak_MB\tstatus\tnote\n", strings.Join(cats, "\t"))
	var totLines, totPkgs, totErrs int
	var totWall float64
	var maxMB int
	totCat := make([]int, len(cats))
	for _, m := range mods {
		lines, _ := strconv.Atoi(m.meta["lines"])
		pkgs, _ := strconv.Atoi(m.meta["packages"])
		wall, _ := strconv.ParseFloat(m.meta["wall"], 64)
		kb, _ := strconv.Atoi(m.meta["rss_kb"])
		mb := kb / 1024
		totLines += lines
		totPkgs += pkgs
		totErrs += len(m.errs)
		totWall += wall
		maxMB = max(maxMB, mb)
		counts := make([]string, len(cats))
		for i, c := range cats {
			n := 0
			for _, r := range m.reports {
				if r.Category == c {
					n++
				}
			}
			totCat[i] += n
			counts[i] = strconv.Itoa(n)
		}
		fmt.Fprintf(&tsv, "%s\t%s\t%d\t%d\t%s\t%d\t%s\t%d\t%s\t%s\n",
			m.meta["module"], m.meta["version"], lines, pkgs, strings.Join(counts, "\t"),
			len(m.errs), m.meta["wall"], mb, m.status, m.note)
		for _, r := range m.reports {
			fmt.Fprintf(&rep, "%s\t%s\t%s\t%s\n", m.meta["module"], r.Category, r.Posn, r.Message)
			fmt.Fprintf(&full, "%s\t%s\t%s\t%s\n", m.meta["module"], r.Category, r.Posn, r.Message)
			for _, rel := range r.Related {
				fmt.Fprintf(&full, "\t\t%s\n", rel)
			}
		}
		for _, e := range m.errs {
			fmt.Fprintf(&errs, "%s\t%s\t%s\n", m.meta["module"], e.Pkg, oneLine(e.Err))
		}
	}
	tc := make([]string, len(cats))
	for i, n := range totCat {
		tc[i] = strconv.Itoa(n)
	}
	fmt.Fprintf(&tsv, "TOTAL\t%d modules\t%d\t%d\t%s\t%d\t%.1f\t%d\t\t\n",
		len(mods), totLines, totPkgs, strings.Join(tc, "\t"), totErrs, totWall, maxMB)

	for name, buf := range map[string]*bytes.Buffer{
		"summary.tsv": &tsv, "reports.txt": &rep, "reports-full.txt": &full, "errors.txt": &errs,
	} {
		if err := os.WriteFile(filepath.Join(out, name), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
