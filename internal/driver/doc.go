// Package driver runs one go/analysis analyzer on packages and their
// dependencies one package at a time, as go vet's unitchecker and
// staticcheck's runner do, instead of holding the whole program in memory.
//
// It lists the packages with go list (through go/packages, metadata
// only), then analyses them in dependency order, up to Options.Jobs at
// once: each package is parsed and type-checked from source against its
// imports' export data, its SSA built, the analyzer run, and everything
// dropped but what the packages that import it need: its export data and
// its facts. So the memory a run needs grows with the largest packages
// analysed at once, not with the program.
//
// Results are cached on disk by content (Options.CacheDir, by default
// lifecyclecheck under the user cache directory): a package's entry is
// keyed by the analyzer binary, the configuration (Options.Salt), its
// files' names and contents and the outputs (export data and facts) of
// its imports, and holds its export data, facts, diagnostics and errors.
// An edit that changes neither the export data nor the facts of a package
// reanalyses that package only; the others are read from the cache
// without being parsed.
//
// Facts cross packages as JSON (the same facts give the same bytes in
// every process, which gob does not promise), keyed by objectpath, and
// are read lazily: a package's facts are decoded when the analyzer first
// asks for one of its objects'.
package driver
