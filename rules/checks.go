package rules

import (
	"fmt"
	"slices"
	"strings"
)

// The checks lifecyclecheck runs, by the name each report carries as its
// category and that -checks and the rules file's checks: select.
const (
	CheckFreed      = "freed"      // an object freed while still in an index
	CheckClosed     = "closed"     // an object closed (or ended by its goroutine) and left in an index
	CheckUndo       = "undo"       // a failing path that skips the delete its sibling failing paths make
	CheckPartial    = "partial"    // a removal from some of a group of indexes that leaves the rest holding it
	CheckUnregister = "unregister" // a close method that leaves what the constructor registered
)

// CategoryDirective is the category of reports about the configuration
// written in the code: a malformed or misplaced //lifecycle: directive, or
// an ignore that silences nothing. Like a bad rules file, a bad directive
// is an error of the run (the standalone command exits 1), not a finding
// of a check, and -checks does not turn it off.
const CategoryDirective = "directive"

// Checks lists every check in a stable order.
func Checks() []string {
	return []string{CheckFreed, CheckClosed, CheckUndo, CheckPartial, CheckUnregister}
}

// CheckSet is a selection of checks. The zero value selects none; use
// AllChecks or ParseChecks.
type CheckSet map[string]bool

// AllChecks selects every check.
func AllChecks() CheckSet {
	s := CheckSet{}
	for _, c := range Checks() {
		s[c] = true
	}
	return s
}

// Has reports whether the check named c is selected. A nil set selects all.
func (s CheckSet) Has(c string) bool { return s == nil || s[c] }

// String renders the selection as a -checks value, in Checks order.
func (s CheckSet) String() string {
	var on []string
	for _, c := range Checks() {
		if s.Has(c) {
			on = append(on, c)
		}
	}
	return strings.Join(on, ",")
}

// ParseChecks reads a selection written as a list of check names, where
// "all" selects every check and "-name" removes one, applied in order:
// ["all", "-undo"]. An empty list selects every check. Each element may
// itself be comma-separated, as -checks=all,-undo is.
func ParseChecks(list []string) (CheckSet, error) {
	var words []string
	for _, l := range list {
		for _, w := range strings.Split(l, ",") {
			if w = strings.TrimSpace(w); w != "" {
				words = append(words, w)
			}
		}
	}
	if len(words) == 0 {
		return AllChecks(), nil
	}
	s := CheckSet{}
	if strings.HasPrefix(words[0], "-") {
		s = AllChecks() // "-undo" alone means every check but undo
	}
	for _, w := range words {
		name, on := strings.TrimPrefix(w, "-"), !strings.HasPrefix(w, "-")
		switch {
		case name == "all":
			for _, c := range Checks() {
				s[c] = on
			}
		case slices.Contains(Checks(), name):
			s[name] = on
		default:
			return nil, fmt.Errorf("unknown check %q: want all or one of %s, each optionally prefixed with -", name, strings.Join(Checks(), ", "))
		}
	}
	return s, nil
}
