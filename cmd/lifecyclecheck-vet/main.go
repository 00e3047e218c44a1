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
	"os"
	"os/exec"
	"path/filepath"
)

func main() {
	tool, err := vetTool()
	if err != nil {
		fmt.Fprintf(os.Stderr, "lifecyclecheck-vet: %v\n", err)
		os.Exit(1)
	}
	cmd := exec.Command("go", append([]string{"vet", "-vettool=" + tool}, os.Args[1:]...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		os.Exit(exit.ExitCode())
	case err != nil:
		fmt.Fprintf(os.Stderr, "lifecyclecheck-vet: %v\n", err)
		os.Exit(1)
	}
}

// vetTool returns the absolute path of the lifecyclecheck command.
func vetTool() (string, error) {
	name := "lifecyclecheck"
	if filepath.Ext(os.Args[0]) == ".exe" {
		name += ".exe"
	}
	if self, err := os.Executable(); err == nil {
		if self, err := filepath.EvalSymlinks(self); err == nil {
			beside := filepath.Join(filepath.Dir(self), name)
			if fi, err := os.Stat(beside); err == nil && !fi.IsDir() {
				return beside, nil
			}
		}
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("cannot find lifecyclecheck beside this command or on PATH: install both with go install github.com/lifecyclecheck/lifecyclecheck/cmd/...@latest")
	}
	return filepath.Abs(path)
}
