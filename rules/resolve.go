package rules

import (
	"errors"
	"fmt"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"unicode"
)

// funcRef is a function name of a rules file taken apart.
type funcRef struct {
	pkg  string
	recv string // the receiver's type name, "" for a package-level function
	ptr  bool   // the receiver is spelled (*T)
	name string
}

// parseFuncName parses pkg/path.Func, (pkg/path.Type).Method or
// (*pkg/path.Type).Method; a generic type may carry its type parameters,
// as in (*pkg/path.Tree[K]).Insert.
func parseFuncName(s string) (funcRef, error) {
	var ref funcRef
	qualified := s
	if rest, ok := strings.CutPrefix(s, "("); ok {
		recv, method, ok := strings.Cut(rest, ").")
		if !ok {
			return ref, badFuncName(s)
		}
		recv, ref.ptr = strings.CutPrefix(recv, "*")
		if i := strings.IndexByte(recv, '['); i >= 0 && strings.HasSuffix(recv, "]") {
			recv = recv[:i]
		}
		qualified, ref.name = recv, method
	}
	i := strings.LastIndexByte(qualified, '.')
	if i < 0 {
		return ref, badFuncName(s)
	}
	ref.pkg, ref.recv = qualified[:i], qualified[i+1:]
	if ref.name == "" {
		ref.name, ref.recv = ref.recv, ""
	} else if !token.IsIdentifier(ref.recv) {
		return ref, badFuncName(s)
	}
	if !token.IsIdentifier(ref.name) || !isPkgPath(ref.pkg) {
		return ref, badFuncName(s)
	}
	return ref, nil
}

func badFuncName(s string) error {
	return fmt.Errorf("func %q is not a function name: write pkg/path.Func, (pkg/path.Type).Method or (*pkg/path.Type).Method", s)
}

// isPkgPath reports whether s looks like an import path: the compiler,
// not this check, decides whether the package exists.
func isPkgPath(s string) bool {
	if s == "" || strings.HasPrefix(s, "/") || strings.HasSuffix(s, "/") || strings.Contains(s, "//") {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("-._~/+", r) {
			return false
		}
	}
	return true
}

// Resolve returns base with the rules and groups of f added, finding each
// function and index through lookup, which returns the type-checked
// package of an import path.
// A function's rules replace what base has for it; several rules for one
// function accumulate. Rules that reach one function under different names
// (two interfaces that embed io.Closer reach (io.Closer).Close; an alias
// or a generic type spelled without its parameters reaches the type
// itself) merge: an operation declared twice counts once, and different
// operations add up. Two rules that contradict each other (see
// Contradicts), and a rule repeated under the same name, are errors.
// Each group's indexes must exist: a package-level variable, or a field
// that a declared struct type declares itself; the Set holds them by the
// full names the analyzer gives indexes, sorted, after base's groups.
// Problems are *FileError at the rule's or group's line, every one of
// them, in line order.
func (f *File) Resolve(base *Set, lookup func(pkgPath string) (*types.Package, error)) (*Set, error) {
	r := &resolver{p: fileParser{name: f.Name}, lookup: lookup, pkgs: make(map[string]*types.Package)}
	m := opMerger{p: &r.p, byFunc: make(map[string][]ruleOp)}
	for _, rule := range f.Rules {
		name, op, err := r.resolve(rule)
		if err != nil {
			r.p.errorf(rule.Line, "%v", err)
			continue
		}
		m.add(name, ruleOp{op, rule})
	}
	groups := r.resolveGroups(f.Groups)
	if err := r.p.err(); err != nil {
		return nil, err
	}
	s := base.WithOps(m.ops())
	s.Groups = slices.Concat(s.Groups, groups)
	return s, nil
}

// ruleOp is an operation and the rule that declares it.
type ruleOp struct {
	op   Op
	rule Rule
}

// opMerger gathers the operations of each function, by full name.
type opMerger struct {
	p      *fileParser
	byFunc map[string][]ruleOp
}

// add records that the function called name performs ro.op, unless an
// earlier rule declares it already or contradicts it.
func (m *opMerger) add(name string, ro ruleOp) {
	for _, e := range m.byFunc[name] {
		switch {
		case e.op == ro.op && e.rule.Func == ro.rule.Func:
			m.p.errorf(ro.rule.Line, "duplicate rule: %s does %s as declared at line %d: remove one", name, ro.op, e.rule.Line)
			return
		case e.op == ro.op:
			return // the same function reached under another name
		case Contradicts(e.op, ro.op):
			m.p.errorf(ro.rule.Line, "%s of %s contradicts the %s at line %d, both of %s: a function cannot both keep an object and end its life; drop one",
				ro.op.Kind, ro.rule.Object, e.op.Kind, e.rule.Line, name)
			return
		}
	}
	m.byFunc[name] = append(m.byFunc[name], ro)
}

// ops returns the operations of each function, in the order of its rules.
func (m *opMerger) ops() map[string][]Op {
	out := make(map[string][]Op, len(m.byFunc))
	for name, ros := range m.byFunc {
		for _, ro := range ros {
			out[name] = append(out[name], ro.op)
		}
	}
	return out
}

// resolver resolves rules, loading each package once.
type resolver struct {
	p      fileParser
	lookup func(string) (*types.Package, error)
	pkgs   map[string]*types.Package
}

// resolve returns the full name of the rule's function and its operation.
func (r *resolver) resolve(rule Rule) (string, Op, error) {
	if _, ok := verbKind(rule.Op.String()); !ok {
		return "", Op{}, fmt.Errorf("unknown op %s: want %s", rule.Op, opList)
	}
	ref, err := parseFuncName(rule.Func)
	if err != nil {
		return "", Op{}, err
	}
	pkg, err := r.pkg(ref.pkg, "func")
	if err != nil {
		if hint := r.methodHint(ref); hint != "" {
			return "", Op{}, errors.New(hint)
		}
		return "", Op{}, err
	}
	fn, err := findFunc(pkg, ref)
	if err != nil {
		return "", Op{}, err
	}
	refs := []string{rule.Index, rule.Object}
	if rule.Op.Unary() {
		refs = refs[1:]
	} else if refs[0] == "" {
		refs[0] = "_"
	}
	op, err := resolveOp(rule.Op, refs, paramNames(fn.Signature()), true)
	return fn.FullName(), op, err
}

// methodHint explains a method written without parentheses
// (example.com/m.Type.Method, read as the function Method of a package
// example.com/m.Type that does not load): when the path up to its last
// dot is a package with that type, it says how to write the method.
func (r *resolver) methodHint(ref funcRef) string {
	if ref.recv != "" {
		return ""
	}
	i := strings.LastIndexByte(ref.pkg, '.')
	if i < 0 || strings.Contains(ref.pkg[i:], "/") {
		return ""
	}
	path, typ := ref.pkg[:i], ref.pkg[i+1:]
	pkg, err := r.pkg(path, "func")
	if err != nil || pkg == nil {
		return ""
	}
	if _, ok := pkg.Scope().Lookup(typ).(*types.TypeName); !ok {
		return ""
	}
	return fmt.Sprintf("func %q: %s is a type, not a package: a method's full name has its receiver in parentheses, (%s.%s).%s, or (*%s.%s).%s for a pointer receiver",
		ref.pkg+"."+ref.name, ref.pkg, path, typ, ref.name, path, typ, ref.name)
}

// pkg returns the package at path; in says where the path is written,
// for messages.
func (r *resolver) pkg(path, in string) (*types.Package, error) {
	if pkg, ok := r.pkgs[path]; ok {
		return pkg, nil
	}
	pkg, err := r.lookup(path)
	switch {
	case err != nil:
		return nil, fmt.Errorf("cannot load package %s: %v", path, err)
	case pkg == nil:
		return nil, fmt.Errorf("unknown package %s: check the import path in %s", path, in)
	}
	r.pkgs[path] = pkg
	return pkg, nil
}

// Packages returns the import paths of the packages f's rules and groups
// name, sorted and without repeats, so that a driver can load them all in
// one go before calling Resolve. An index name gives every package path
// it can be read with (example.com/a.T.f: example.com/a and
// example.com/a.T), since Resolve tries each; the ones that do not exist
// fail to load, which Resolve expects. Names that do not parse are
// skipped: Resolve reports them.
func (f *File) Packages() []string {
	var out []string
	for _, r := range f.Rules {
		if ref, err := parseFuncName(r.Func); err == nil {
			out = append(out, ref.pkg)
		}
	}
	for _, g := range f.Groups {
		for _, name := range g.Indexes {
			for _, ref := range indexRefs(name) {
				out = append(out, ref.pkg)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
