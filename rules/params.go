package rules

import (
	"fmt"
	"go/types"
	"strconv"
	"strings"
)

// ResolveDirectives turns the insert, delete and free directives of a
// function with signature sig into operations, naming parameters by their
// position (the receiver of a method is 0). Ignore directives are skipped.
// A name that is not a parameter is an error at its directive.
func ResolveDirectives(ds []Directive, sig *types.Signature) ([]Op, []DirectiveError) {
	names := paramNames(sig)
	var ops []Op
	var errs []DirectiveError
	for _, d := range ds {
		kind, ok := verbKind(d.Verb)
		if !ok {
			continue
		}
		op, err := resolveOp(kind, d.Args, names, false)
		if err != nil {
			errs = append(errs, DirectiveError{Pos: d.Pos, Msg: err.Error()})
			continue
		}
		ops = append(ops, op)
	}
	return ops, errs
}

// verbKind returns the operation a directive verb declares.
func verbKind(verb string) (Kind, bool) {
	for _, k := range []Kind{Insert, Delete, Free} {
		if verb == k.String() {
			return k, true
		}
	}
	return 0, false
}

// resolveOp builds the operation of kind from the parameter references refs:
// INDEX OBJ for insert and delete, OBJ for free. Positions written as
// digits are accepted only when digits is set (the rules file).
func resolveOp(kind Kind, refs []string, names []string, digits bool) (Op, error) {
	pos := make([]int, len(refs))
	for i, ref := range refs {
		p, err := paramPosition(ref, names, digits)
		if err != nil {
			return Op{}, err
		}
		pos[i] = p
	}
	if kind == Free {
		return Op{Kind: Free, Index: Any, Object: pos[0]}, nil
	}
	return Op{Kind: kind, Index: pos[0], Object: pos[1]}, nil
}

// paramNames returns the name of each parameter position of sig, the
// receiver first; "" for a parameter that cannot be named (blank or
// unnamed).
func paramNames(sig *types.Signature) []string {
	var names []string
	if r := sig.Recv(); r != nil {
		names = append(names, nameable(r.Name()))
	}
	for p := range sig.Params().Variables() {
		names = append(names, nameable(p.Name()))
	}
	return names
}

func nameable(name string) string {
	if name == "_" {
		return ""
	}
	return name
}

// paramPosition returns the position that ref names among names: "_" is
// Any, digits are a position (when allowed), anything else a name.
func paramPosition(ref string, names []string, digits bool) (int, error) {
	if ref == "_" {
		return Any, nil
	}
	if digits && isDigits(ref) {
		n, err := strconv.Atoi(ref)
		switch {
		case len(names) == 0:
			return 0, fmt.Errorf("position %s is out of range: the function has no parameters", ref)
		case err != nil || n >= len(names):
			return 0, fmt.Errorf("position %s is out of range: want 0 to %d, where a method's receiver is 0", ref, len(names)-1)
		}
		return n, nil
	}
	for i, name := range names {
		if name != "" && name == ref {
			return i, nil
		}
	}
	return 0, fmt.Errorf("no parameter named %q: %s", ref, available(names, digits))
}

// available says which references the user may write instead.
func available(names []string, digits bool) string {
	var named []string
	for _, n := range names {
		if n != "" {
			named = append(named, n)
		}
	}
	switch {
	case len(named) > 0:
		return "want one of " + strings.Join(named, ", ")
	case digits && len(names) > 0:
		return "the parameters have no names: use a position"
	case len(names) > 0:
		return "the parameters have no names: name them in the signature"
	}
	return "the function has no parameters"
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
