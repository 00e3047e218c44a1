package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"go.yaml.in/yaml/v3"
)

// The top-level keys of a rules file.
const (
	keyRules   = "rules"
	keyGroups  = "groups"
	keyChecks  = "checks"
	keyDisable = "disable"
	keyExclude = "exclude"
)

// wantKeys tells what a rules file may set, for messages.
const wantKeys = "rules: (a list of rules), groups: (indexes left together), checks: (as -checks), disable: (built-in kinds) or exclude: (path globs)"

// file reads the top-level mapping of a rules file: each key is optional,
// but a file must set something.
func (p *fileParser) file(root *yaml.Node) *File {
	f := &File{Name: p.name}
	switch {
	case root.Kind != yaml.MappingNode:
		p.errorf(root.Line, "the rules file must be a mapping: write %s", wantKeys)
		return f
	case len(root.Content) == 0:
		p.errorf(root.Line, "the rules file sets nothing: write %s", wantKeys)
		return f
	}
	m := p.mapping(root, "the rules file", keyRules, keyGroups, keyChecks, keyDisable, keyExclude)
	if v := m[keyRules]; v != nil {
		for _, n := range p.ruleNodes(v) {
			if r, ok := p.rule(n); ok {
				f.Rules = append(f.Rules, r)
			}
		}
		f.Rules = p.withoutDuplicates(f.Rules)
	}
	if v := m[keyGroups]; v != nil {
		f.Groups = p.groups(v)
	}
	if v := m[keyChecks]; v != nil {
		if f.Checks = p.checks(v); f.Checks != nil {
			f.ChecksLine = keyLine(root, keyChecks)
		}
	}
	if v := m[keyDisable]; v != nil {
		if f.Disable = p.disable(v); f.Disable != nil {
			f.DisableLine = keyLine(root, keyDisable)
		}
	}
	if v := m[keyExclude]; v != nil && !isNull(v) {
		f.Exclude = p.names(keyExclude, v, "write exclude: [\"**/*.pb.go\", \"examples/**\"] with path globs relative to the module root", ValidGlob)
	}
	return f
}

// ValidGlob checks a path glob of exclude: (doublestar syntax: * within a
// directory, ** across directories, {a,b}, [abc]).
func ValidGlob(g string) error {
	if !doublestar.ValidatePattern(g) {
		return fmt.Errorf("exclude %q is not a valid path glob: use * within a directory and ** across directories, as in examples/**", g)
	}
	if strings.HasPrefix(g, "/") {
		return fmt.Errorf("exclude %q is absolute: write it relative to the module root", g)
	}
	return nil
}

// Excluded reports whether the file at path, relative to the module root
// (slash-separated), matches one of the globs.
func Excluded(globs []string, path string) bool {
	for _, g := range globs {
		if ok, _ := doublestar.Match(g, path); ok {
			return true
		}
	}
	return false
}

// keyLine returns the line of key in the mapping n.
func keyLine(n *yaml.Node, key string) int {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			return k.Line
		}
	}
	return n.Line
}

// ruleNodes returns the items of the rules list.
func (p *fileParser) ruleNodes(list *yaml.Node) []*yaml.Node {
	switch {
	case isNull(list):
	case list.Kind != yaml.SequenceNode:
		p.errorf(list.Line, "rules must be a list: write rules: followed by a list of rules")
	default:
		return list.Content
	}
	return nil
}

// checks returns the names of the checks: list, leaving out the unknown
// ones. An empty list is an error: it would select every check, which is
// what leaving it out says.
func (p *fileParser) checks(v *yaml.Node) []string {
	if isNull(v) || v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
		p.errorf(v.Line, "checks is empty: list the checks to run, as in checks: [all, -undo], or remove it")
		return nil
	}
	want := "write checks: [all, -undo] with names among all, " + strings.Join(Checks(), ", ")
	return p.names(keyChecks, v, want, func(name string) error {
		_, err := ParseChecks([]string{name})
		return err
	})
}

// disable returns the kinds of the disable: list, leaving out the unknown
// ones; an empty list turns nothing off.
func (p *fileParser) disable(v *yaml.Node) []string {
	if isNull(v) {
		return nil
	}
	want := "write disable: [sync.Pool] with kinds among " + strings.Join(Kinds(), ", ")
	return p.names(keyDisable, v, want, checkKind)
}

// names returns the strings of the list v under key that valid accepts,
// reporting the others where they are.
func (p *fileParser) names(key string, v *yaml.Node, want string, valid func(string) error) []string {
	if v.Kind != yaml.SequenceNode {
		p.errorf(v.Line, "%s must be a list: %s", key, want)
		return nil
	}
	out := []string{}
	for _, n := range v.Content {
		if !isString(n) || strings.TrimSpace(n.Value) == "" {
			p.errorf(n.Line, "each element of %s must be a name: %s", key, want)
			continue
		}
		if err := valid(n.Value); err != nil {
			p.errorf(n.Line, "%v", err)
			continue
		}
		out = append(out, n.Value)
	}
	return out
}

// CheckSet returns the selection of f's checks:, or nil when f has none:
// the caller then selects every check (a nil CheckSet does). A name that
// is not a check is a *FileError at the checks: line.
func (f *File) CheckSet() (CheckSet, error) {
	if f == nil || f.Checks == nil {
		return nil, nil
	}
	s, err := ParseChecks(f.Checks)
	if err != nil {
		return nil, &FileError{File: f.Name, Line: f.ChecksLine, Msg: err.Error()}
	}
	return s, nil
}

// withoutDuplicates reports each rule written twice, with the same func,
// op, index and object, and leaves out all but the first.
func (p *fileParser) withoutDuplicates(rs []Rule) []Rule {
	first := make(map[Rule]int)
	return slices.DeleteFunc(rs, func(r Rule) bool {
		line := r.Line
		r.Line = 0
		if l, ok := first[r]; ok {
			p.errorf(line, "duplicate rule: same func, op, index and object as line %d: remove one", l)
			return true
		}
		first[r] = line
		return false
	})
}
