package rules

import (
	"fmt"
	"go/token"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// GroupRule is one entry of the groups: list of a rules file, checked for
// shape but not yet resolved: indexes that an object leaves together, so
// that a removal from some of them and not the others is a partial
// removal (the partial check).
type GroupRule struct {
	// Indexes are the full names of the indexes, as facts spell them: a
	// package-level variable, example.com/pkg.name, or a struct field,
	// example.com/pkg.Type.field. At least two, each once.
	Indexes []string
	// Line is the line of the group in the file.
	Line int
}

const keyIndexes = "indexes"

// wantGroup tells how to write a group, for messages.
const wantGroup = "write {indexes: [NAME, NAME, ...]} with full names such as example.com/pkg.name or example.com/pkg.Type.field"

// groups returns the well-formed groups of the groups: list v, reporting
// the others and every group written twice.
func (p *fileParser) groups(v *yaml.Node) []GroupRule {
	switch {
	case isNull(v):
		return nil
	case v.Kind != yaml.SequenceNode:
		p.errorf(v.Line, "groups must be a list: %s for each group", wantGroup)
		return nil
	}
	var out []GroupRule
	for _, n := range v.Content {
		if g, ok := p.group(n); ok {
			out = append(out, g)
		}
	}
	return p.withoutDuplicateGroups(out)
}

// group checks the shape of one group; ok is false if it reported a
// problem.
func (p *fileParser) group(n *yaml.Node) (g GroupRule, ok bool) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n.Line, "each group must be a mapping: %s", wantGroup)
		return GroupRule{}, false
	}
	before := len(p.errs)
	list := p.mapping(n, "a group", keyIndexes)[keyIndexes]
	switch {
	case list == nil:
		p.errorf(n.Line, "group has no indexes: %s", wantGroup)
	case list.Kind != yaml.SequenceNode:
		p.errorf(list.Line, "indexes must be a list: %s", wantGroup)
	case len(list.Content) < 2:
		p.errorf(list.Line, "a group needs at least two indexes, the ones an object leaves together: %s", wantGroup)
	}
	if list != nil && list.Kind == yaml.SequenceNode {
		g.Indexes = p.indexNames(list)
	}
	g.Line = n.Line
	return g, len(p.errs) == before
}

// indexNames returns the names of the list of indexes, reporting each
// one that is not a name and each one listed twice.
func (p *fileParser) indexNames(list *yaml.Node) []string {
	var names []string
	first := make(map[string]int)
	for _, n := range list.Content {
		switch {
		case !isString(n):
			p.errorf(n.Line, "each index must be a name: %s", wantGroup)
		case first[n.Value] > 0:
			p.errorf(n.Line, "index %s is listed twice in the group (as at line %d): remove one", n.Value, first[n.Value])
		default:
			if err := checkIndexName(n.Value); err != nil {
				p.errorf(n.Line, "%v", err)
				continue
			}
			first[n.Value] = n.Line
			names = append(names, n.Value)
		}
	}
	return names
}

// withoutDuplicateGroups reports each group that lists the same indexes
// as an earlier one, in any order, and leaves out all but the first.
func (p *fileParser) withoutDuplicateGroups(gs []GroupRule) []GroupRule {
	first := make(map[string]int)
	return slices.DeleteFunc(gs, func(g GroupRule) bool {
		key := strings.Join(slices.Sorted(slices.Values(g.Indexes)), " ")
		if l, ok := first[key]; ok {
			p.errorf(g.Line, "duplicate group: same indexes as line %d: remove one", l)
			return true
		}
		first[key] = g.Line
		return false
	})
}

// indexRef is one reading of an index's full name: the import path of a
// package and the names in it, a variable (one name) or a type followed
// by a field (and by the fields of the anonymous structs it leads to).
type indexRef struct {
	pkg   string
	names []string
}

// indexRefs returns the readings of an index's full name, the shortest
// package path first. The package path may hold dots (example.com,
// gopkg.in/yaml.v3), so that the names after the last slash are read
// every way they can be: example.com/a.T.f is the field f of a.T, or the
// variable f of the package example.com/a.T. A path ending in .go is no
// reading: the go command would take it for a file.
func indexRefs(s string) []indexRef {
	slash := strings.LastIndexByte(s, '/') + 1
	var refs []indexRef
	for i := slash; i < len(s); i++ {
		if s[i] != '.' {
			continue
		}
		ref := indexRef{pkg: s[:i], names: strings.Split(s[i+1:], ".")}
		if isPkgPath(ref.pkg) && !strings.HasSuffix(ref.pkg, ".go") && !slices.ContainsFunc(ref.names, notIndexIdent) {
			refs = append(refs, ref)
		}
	}
	return refs
}

// notIndexIdent reports whether s cannot name a variable or field that
// holds an index.
func notIndexIdent(s string) bool { return s == "_" || !token.IsIdentifier(s) }

// checkIndexName returns an error if s cannot be an index's full name.
func checkIndexName(s string) error {
	if len(indexRefs(s)) == 0 {
		return fmt.Errorf("index %q is not an index name: write the full name of a package-level variable, example.com/pkg.name, or of a struct field, example.com/pkg.Type.field", s)
	}
	return nil
}
