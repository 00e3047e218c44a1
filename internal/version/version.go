// Package version tells which lifecyclecheck a binary is, for -V, -V=full
// and -version of the lifecyclecheck commands.
//
// The version is the main module's version from the binary's build
// information (set by go install MODULE@VERSION); a build from a clone
// has none and reports Dev, followed by the commit when the build
// recorded one (and .dirty for uncommitted changes), or by +novcs when it
// did not (-buildvcs=false, or a copy outside a clone). For -V=full the line follows the protocol go vet uses to
// key its cache on the vet tool: "NAME version devel ... buildID=HASH",
// where HASH is the content hash of the executable, so that go vet reruns
// the analysis after the tool is rebuilt and takes cached results
// otherwise.
package version

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
)

// Dev is the version of a build from a clone: the next release, -dev.
const Dev = "v0.2.0-dev"

// Module returns the version of the lifecyclecheck module in this binary.
func Module() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return Dev
	}
	return fromBuildInfo(info)
}

// fromBuildInfo returns the main module's version, or Dev plus the VCS
// revision (and +dirty) for a build without one.
func fromBuildInfo(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev string
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return Dev + "+novcs" // built outside a clone, or with -buildvcs=false: no commit recorded
	}
	v := Dev + "+" + rev[:min(len(rev), 12)]
	if dirty {
		v += ".dirty"
	}
	return v
}

// Short is the line printed for -V and -version:
// "lifecyclecheck version v0.2.0 go1.26.8".
func Short(name string) string {
	return fmt.Sprintf("%s version %s %s", name, Module(), runtime.Version())
}

// Full is the line printed for -V=full. go vet runs the vet tool with
// -V=full and, as "devel" is in the third field, keys its cache on the
// last one, buildID=, here the SHA-256 of the executable.
func Full(name string) (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s version devel %s %s buildID=%s", name, Module(), runtime.Version(), hex.EncodeToString(h.Sum(nil))), nil
}

// Request is what the command line asks of the version flags.
type Request int

const (
	None  Request = iota // no version flag
	Brief                // -V or -version: Short
	Build                // -V=full: Full
	Bad                  // -V=other: an error
)

// Requested finds -V, -V=full, -version (also spelled with -- and =true)
// among the arguments before "--".
func Requested(args []string) Request {
	for _, a := range args {
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		if name != "V" && name != "version" {
			continue
		}
		switch {
		case !hasValue || value == "true":
			return Brief
		case value == "full" && name == "V":
			return Build
		case value == "false":
			continue
		default:
			return Bad
		}
	}
	return None
}

// Print answers a version request on w and returns the exit status; ok
// is false when args ask for no version.
func Print(w, errw io.Writer, name string, args []string) (status int, ok bool) {
	switch Requested(args) {
	case Brief:
		fmt.Fprintln(w, Short(name))
	case Build:
		line, err := Full(name)
		if err != nil {
			fmt.Fprintf(errw, "%s: %v\n", name, err)
			return 1, true
		}
		fmt.Fprintln(w, line)
	case Bad:
		fmt.Fprintf(errw, "%s: unsupported version flag: want -V, -V=full or -version\n", name)
		return 2, true
	default:
		return 0, false
	}
	return 0, true
}
