package facts

import (
	"fmt"
	"slices"
	"strings"
)

// IndexKind says what an index is.
type IndexKind int

const (
	// GlobalIndex is a package-level variable; Name is "pkgpath.name".
	GlobalIndex IndexKind = iota + 1
	// FieldIndex is a struct field, shared by every instance; Name is
	// "pkgpath.Type.field".
	FieldIndex
	// ParamIndex is the index passed as parameter Pos (summaries only).
	ParamIndex
	// FreeVarIndex is the index captured as free variable Pos (closures).
	FreeVarIndex
	// LocalIndex is an index known only inside one function (a map that
	// escapes but whose home is unknown); Name says where it was made.
	LocalIndex
)

// IndexID identifies an index across functions and packages.
type IndexID struct {
	Kind IndexKind `json:",omitempty"`
	Name string    `json:",omitempty"`
	Pos  int       `json:",omitempty"`
}

// String returns the index's name as a user reads it: proxyByName,
// Registry.byName.
func (id IndexID) String() string {
	switch id.Kind {
	case GlobalIndex:
		return shortName(id.Name, 1)
	case FieldIndex:
		return shortName(id.Name, 2)
	case ParamIndex:
		return fmt.Sprintf("p%d", id.Pos)
	case FreeVarIndex:
		return fmt.Sprintf("fv%d", id.Pos)
	}
	return id.Name
}

// AnonPrefix starts the owner name of the fields of an anonymous struct
// that no field leads to (see model.FieldName); names leave it out.
const AnonPrefix = "struct_"

// shortName keeps the last n dot-separated parts after the package path.
func shortName(qualified string, n int) string {
	s := qualified[strings.LastIndex(qualified, "/")+1:]
	parts := slices.DeleteFunc(strings.Split(s, "."), func(p string) bool { return strings.HasPrefix(p, AnonPrefix) })
	if len(parts) > n {
		parts = parts[len(parts)-n:]
	}
	return strings.Join(parts, ".")
}

// Exported reports whether the index means the same thing in a caller.
func (id IndexID) Exported() bool { return id.Kind == GlobalIndex || id.Kind == FieldIndex }

// Package returns the path of the package that declares an exported
// index (the variable, or the type whose field it is), else "". A path
// whose last element has a dot (gopkg.in/yaml.v3) cannot be told from
// the name and reads short (gopkg.in/yaml); it is meant for telling the
// standard library's indexes, whose paths have no dots.
func (id IndexID) Package() string {
	if !id.Exported() {
		return ""
	}
	name := id.Name
	slash := strings.LastIndex(name, "/") + 1
	dot := strings.Index(name[slash:], ".")
	if dot < 0 {
		return ""
	}
	return name[:slash+dot]
}
