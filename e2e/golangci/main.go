// Command golangci-lint is golangci-lint v2 with the lifecyclecheck module
// plugin built in: what `golangci-lint custom` builds from .custom-gcl.yml,
// made without cloning golangci-lint, so that it builds from the module
// proxy alone. The e2e script builds and runs it.
package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/golangci/golangci-lint/v2/pkg/commands"
	"github.com/golangci/golangci-lint/v2/pkg/exitcodes"

	_ "github.com/lifecyclecheck/lifecyclecheck/plugin"
)

func main() {
	if err := commands.Execute(buildInfo()); err != nil {
		fmt.Fprintf(os.Stderr, "The command is terminated due to an error: %v\n", err)
		os.Exit(exitcodes.Failure)
	}
}

// buildInfo reports the version of golangci-lint that is built in.
func buildInfo() commands.BuildInfo {
	info := commands.BuildInfo{Version: "unknown", Commit: "custom: lifecyclecheck", Date: "(unknown)"}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return info
	}
	info.GoVersion = bi.GoVersion
	for _, m := range bi.Deps {
		if m.Path == "github.com/golangci/golangci-lint/v2" {
			info.Version = strings.TrimPrefix(m.Version, "v") + "-custom-gcl"
		}
	}
	return info
}
