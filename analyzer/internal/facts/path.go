package facts

import "strings"

// The steps of an access path ("|"-separated) other than a field ID.
const (
	// StepDeref is a load through a pointer (a captured variable's cell).
	StepDeref = "*"
	// StepElem is an element of a slice, map or other container.
	StepElem = "[]"
)

// SplitPath returns the steps of an access path: "|a|b" is [a b].
func SplitPath(p string) []string {
	if p == "" {
		return nil
	}
	return strings.Split(p[1:], "|")
}

// PathSuffix renders a path of field IDs as ".f.g".
func PathSuffix(path string) string {
	var b strings.Builder
	for _, s := range SplitPath(path) {
		switch s {
		case StepDeref:
			continue
		case StepElem:
			b.WriteString("[]")
		default:
			b.WriteString("." + s[strings.LastIndex(s, ".")+1:])
		}
	}
	return b.String()
}
