// Package plugin is the golangci-lint v2 module plugin of lifecyclecheck.
//
// A custom golangci-lint built with this package (see .custom-gcl.yml in
// README.md) runs the analyzer as the linter lifecyclecheck, with
// settings under linters.settings.custom.lifecyclecheck.settings:
//
//	rules:          # inline rules, the fields of the rules file
//	  - func: (*example.com/tree.Root).Insert
//	    op: insert
//	    index: r
//	    object: n
//	rules-file: .lifecyclecheck.yaml   # relative to the module root
//	exclude: ["**/*.pb.go"]            # path globs whose findings are left out
//	disable: [sync.Pool]               # built-in kinds to turn off, besides the file's
//	checks: [all, -undo]               # replaces the rules file's checks:
//
// Unknown settings are an error.
package plugin

import (
	"fmt"
	"os"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer"
	"github.com/lifecyclecheck/lifecyclecheck/config"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

func init() {
	register.Plugin(analyzer.Name, New)
}

// Settings are the plugin's settings in .golangci.yml.
type Settings struct {
	// Rules are inline rules; for a function that the rules file also
	// names, they replace the file's.
	Rules []Rule `json:"rules"`
	// RulesFile is the rules file, relative to the module root; "" means
	// .lifecyclecheck.yaml there if present.
	RulesFile string `json:"rules-file"`
	// Disable lists built-in kinds to turn off: map, sync.Map,
	// container/list, sync.Pool; those of the rules file's disable: are
	// turned off too.
	Disable []string `json:"disable"`
	// Checks selects the checks as -checks does ([all, -undo]); when
	// present it replaces the rules file's checks:.
	Checks []string `json:"checks"`
	// Exclude lists path globs, relative to the module root, whose
	// findings are not reported, besides the rules file's exclude:.
	Exclude []string `json:"exclude"`
}

// Plugin is the lifecyclecheck linter of a custom golangci-lint.
type Plugin struct {
	settings Settings
	inline   *rules.File
	checks   rules.CheckSet // nil when the settings have no checks
	// root returns the module root; a field so that tests need not chdir.
	root func() (string, error)
	// newAnalyzer is analyzer.New; a field so that tests see the config.
	newAnalyzer func(analyzer.Config) *analysis.Analyzer
}

// New decodes the settings strictly: an unknown key, an unknown kind in
// disable, an unknown check or a malformed inline rule is an error.
func New(raw any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](raw)
	if err != nil {
		return nil, fmt.Errorf("%s settings: %w", analyzer.Name, err)
	}
	if _, err := rules.Builtin(s.Disable...); err != nil {
		return nil, fmt.Errorf("%s settings: disable: %w", analyzer.Name, err)
	}
	checks, err := settingsChecks(s.Checks)
	if err != nil {
		return nil, err
	}
	for _, g := range s.Exclude {
		if err := rules.ValidGlob(g); err != nil {
			return nil, fmt.Errorf("%s settings: %w", analyzer.Name, err)
		}
	}
	inline, err := inlineFile(s.Rules)
	if err != nil {
		return nil, err
	}
	return &Plugin{settings: s, inline: inline, checks: checks, root: workingModule, newAnalyzer: analyzer.New}, nil
}

// settingsChecks parses the checks setting; nil when it is absent.
func settingsChecks(list []string) (rules.CheckSet, error) {
	if list == nil {
		return nil, nil
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("%s settings: checks is empty: list the checks to run, as in checks: [all, -undo], or remove it", analyzer.Name)
	}
	s, err := rules.ParseChecks(list)
	if err != nil {
		return nil, fmt.Errorf("%s settings: checks: %w", analyzer.Name, err)
	}
	return s, nil
}

// BuildAnalyzers reads the rules file, resolves its rules and the inline
// ones against the types of the functions they name, and returns the
// analyzer configured with them and with the checks selected.
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	root, err := p.root()
	if err != nil {
		return nil, err
	}
	cfg, err := config.Options{
		Root:      root,
		RulesFile: p.settings.RulesFile,
		Inline:    p.inline,
		Disable:   p.settings.Disable,
		Exclude:   p.settings.Exclude,
		Checks:    p.checks,
	}.Load()
	if err != nil {
		return nil, inlineError(err, p.settings.Rules)
	}
	a := p.newAnalyzer(analyzer.Config{Rules: cfg.Rules, Checks: cfg.Checks, Excluded: cfg.Excluded})
	return []*analysis.Analyzer{withoutRelated(a)}, nil
}

// withoutRelated makes a reports without related information.
// golangci-lint turns each related position into an issue of its own, so
// one defect would show as several issues and //nolint:lifecyclecheck on
// the reported line would leave the others; the message itself names the
// insert's position.
func withoutRelated(a *analysis.Analyzer) *analysis.Analyzer {
	run := a.Run
	a.Run = func(pass *analysis.Pass) (any, error) {
		p := *pass
		p.Report = func(d analysis.Diagnostic) {
			d.Related = nil
			pass.Report(d)
		}
		return run(&p)
	}
	return a
}

// GetLoadMode asks for type information: the analyzer builds SSA.
func (p *Plugin) GetLoadMode() string { return register.LoadModeTypesInfo }

// workingModule returns the root of the module golangci-lint runs in.
func workingModule() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	return config.ModuleRoot(wd)
}
