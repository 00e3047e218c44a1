// Command lifecyclecheck-vet runs go vet with lifecyclecheck as its vet
// tool: `lifecyclecheck-vet ./...` is
// `go vet -vettool=$(command -v lifecyclecheck) ./...`. It exists for the
// lifecyclecheck-vet pre-commit hook, whose entry cannot compute a path.
// It finds lifecyclecheck next to itself, where go install puts both, and
// else on PATH; it exits with go vet's status.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/lifecyclecheck/lifecyclecheck/internal/version"
)

const name = "lifecyclecheck-vet"

func main() {
	args := os.Args[1:]
	if status, ok := version.Print(os.Stdout, os.Stderr, name, args); ok {
		os.Exit(status)
	}
	if wantsHelp(args) {
		usage(os.Stdout)
		return
	}
	tool, err := vetTool()
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
	cmd := exec.Command("go", append([]string{"vet", "-vettool=" + tool}, args...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		os.Exit(exit.ExitCode())
	case err != nil:
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}

// wantsHelp reports whether args ask for help (-h, -help, --help) before
// any package argument.
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch {
		case a == "-h" || a == "-help" || a == "--help":
			return true
		case a == "--" || !strings.HasPrefix(a, "-"):
			return false
		}
	}
	return false
}

// usage tells what the command runs and where each flag is documented.
func usage(w io.Writer) {
	tool, err := vetTool()
	if err != nil {
		tool = "not found: " + err.Error()
	}
	fmt.Fprintf(w, `%[1]s runs go vet with lifecyclecheck as its vet tool.

Usage: %[1]s [flags] [packages]

  %[1]s ./...   is   go vet -vettool=$(command -v lifecyclecheck) ./...

lifecyclecheck is looked for beside this command, then on PATH
(here: %[2]s).

Flags of its own:
  -V, -version  print the version and exit
  -V=full       print the version with the executable's build ID
  -h, -help     print this help

Every other argument goes to go vet: go vet's flags (see go help vet, for
instance -tags=foo) and lifecyclecheck's (see lifecyclecheck -help, for
instance -rules=FILE). The exit status is go vet's: 1 with findings.
`, name, tool)
}

// vetTool returns the absolute path of the lifecyclecheck command.
func vetTool() (string, error) {
	tool := "lifecyclecheck"
	if filepath.Ext(os.Args[0]) == ".exe" {
		tool += ".exe"
	}
	if self, err := os.Executable(); err == nil {
		if self, err := filepath.EvalSymlinks(self); err == nil {
			beside := filepath.Join(filepath.Dir(self), tool)
			if fi, err := os.Stat(beside); err == nil && !fi.IsDir() {
				return beside, nil
			}
		}
	}
	path, err := exec.LookPath(tool)
	if err != nil {
		return "", fmt.Errorf("cannot find lifecyclecheck beside this command or on PATH: install both with go install ./cmd/... in a clone of lifecyclecheck")
	}
	return filepath.Abs(path)
}
