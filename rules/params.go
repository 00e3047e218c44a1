package rules

import (
	"fmt"
	"go/types"
	"slices"
	"strconv"
	"strings"
)

// ResolveDirectives turns the directives of a function with signature sig
// that declare operations into operations, naming parameters by their
// position (the receiver of a method is 0). Ignore directives are skipped.
// A name that is not a parameter is an error at its directive, and so is a
// keep of an object that another directive of the function frees or
// closes (see Contradicts).
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
		if i := contradicted(op, ops); err == nil && i >= 0 {
			err = fmt.Errorf("%s contradicts %s: a function cannot both keep %s and end its life; drop one",
				d, directiveOf(ops[i], names), names[op.Object])
		}
		if err != nil {
			errs = append(errs, DirectiveError{Pos: d.Pos, Msg: err.Error()})
			continue
		}
		ops = append(ops, op)
	}
	return ops, errs
}

// directiveOf renders a unary operation as the directive that declares it.
func directiveOf(op Op, names []string) string {
	return Directive{Verb: op.Kind.String(), Args: []string{names[op.Object]}}.String()
}

// Contradicts reports whether a and b cannot both be operations of one
// function: one keeps an object (the callee owns it for good) that the
// other frees or closes (the callee ends its life), or one says the
// function does nothing to an object that the other does something to.
func Contradicts(a, b Op) bool {
	ends := func(k Kind) bool { return k == Free || k == Close }
	if a.Object != b.Object || a.Object == Any {
		return false
	}
	return a.Kind == Keep && ends(b.Kind) || b.Kind == Keep && ends(a.Kind) ||
		(a.Kind == None) != (b.Kind == None)
}

// contradicted returns the position in ops of an operation that op
// contradicts, or -1.
func contradicted(op Op, ops []Op) int {
	return slices.IndexFunc(ops, func(o Op) bool { return Contradicts(op, o) })
}

// verbKind returns the operation a directive verb (or a rule's op)
// declares.
func verbKind(verb string) (Kind, bool) {
	for _, k := range []Kind{Insert, Delete, Free, Close, Keep, None} {
		if verb == k.String() {
			return k, true
		}
	}
	return 0, false
}

// resolveOp builds the operation of kind from the parameter references refs:
// INDEX OBJ for insert and delete, OBJ for free, close and keep. Positions
// written as digits are accepted only when digits is set (the rules file).
func resolveOp(kind Kind, refs []string, names []string, digits bool) (Op, error) {
	pos := make([]int, len(refs))
	for i, ref := range refs {
		p, err := paramPosition(ref, names, digits)
		if err != nil {
			return Op{}, err
		}
		pos[i] = p
	}
	if kind.Unary() {
		return Op{Kind: kind, Index: Any, Object: pos[0]}, nil
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
