package rules

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// MisplacedDirectives returns an error for each directive that declares an
// operation (insert, delete, free, close, keep), or malformed directive
// that is not an ignore, outside the doc comment of a function
// declaration: FuncDirectives never sees those, and a directive is never
// ignored silently. The message says what the directive is on when it
// documents something else (a type, var, const, field or interface
// method).
func MisplacedDirectives(file *ast.File) []DirectiveError {
	owners := commentOwners(file)
	var errs []DirectiveError
	for _, p := range fileDirectives(file) {
		owner, documents := owners[p.group]
		switch {
		case p.d.Verb == verbIgnore || documents && owner == "":
		case p.err != nil:
			errs = append(errs, p.error())
		default:
			errs = append(errs, DirectiveError{Pos: p.c.Slash, Msg: misplaced(p.d, owner)})
		}
	}
	return errs
}

// misplaced says why d cannot be where it is, given what it documents.
func misplaced(d Directive, owner string) string {
	const fix = "put it in the doc comment of the function that performs it"
	switch {
	case strings.HasPrefix(owner, "method "):
		return "misplaced " + d.String() + ": it is on " + owner + ", which directives cannot declare: " +
			"write a rule with op: " + d.Verb + " for it in the rules file (" + DefaultFile + ")"
	case owner != "":
		return "misplaced " + d.String() + ": it is on " + owner + ", not a function: " + fix
	}
	return "misplaced " + d.String() + ": " + fix
}

// commentOwners maps the comment groups that document a declaration, a
// spec or a field to a description of it: "" for a function declaration,
// where directives belong, else "type T", "var x", "field F of struct T",
// "method M of interface I" and so on.
func commentOwners(file *ast.File) map[*ast.CommentGroup]string {
	owners := make(map[*ast.CommentGroup]string)
	add := func(what string, groups ...*ast.CommentGroup) {
		for _, g := range groups {
			if g != nil {
				owners[g] = what
			}
		}
	}
	add("the package clause", file.Doc)
	for _, decl := range file.Decls {
		switch decl := decl.(type) {
		case *ast.FuncDecl:
			add("", decl.Doc)
		case *ast.GenDecl:
			add(genDeclOwner(decl), decl.Doc)
			for _, spec := range decl.Specs {
				what := specOwner(decl.Tok, spec)
				switch spec := spec.(type) {
				case *ast.TypeSpec:
					add(what, spec.Doc, spec.Comment)
					addFields(add, spec)
				case *ast.ValueSpec:
					add(what, spec.Doc, spec.Comment)
				case *ast.ImportSpec:
					add(what, spec.Doc, spec.Comment)
				}
			}
		}
	}
	return owners
}

// genDeclOwner describes a declaration by its only spec, or as a block.
func genDeclOwner(decl *ast.GenDecl) string {
	if len(decl.Specs) == 1 {
		return specOwner(decl.Tok, decl.Specs[0])
	}
	return "a " + decl.Tok.String() + " block"
}

func specOwner(tok token.Token, spec ast.Spec) string {
	switch spec := spec.(type) {
	case *ast.TypeSpec:
		return "type " + spec.Name.Name
	case *ast.ValueSpec:
		var names []string
		for _, n := range spec.Names {
			names = append(names, n.Name)
		}
		return tok.String() + " " + strings.Join(names, ", ")
	}
	return "an import"
}

// addFields describes the fields of a struct type and the methods of an
// interface type declared by spec.
func addFields(add func(string, ...*ast.CommentGroup), spec *ast.TypeSpec) {
	var fields *ast.FieldList
	switch t := spec.Type.(type) {
	case *ast.StructType:
		fields = t.Fields
	case *ast.InterfaceType:
		fields = t.Methods
	default:
		return
	}
	_, iface := spec.Type.(*ast.InterfaceType)
	for _, f := range fields.List {
		add(fieldOwner(f, iface)+spec.Name.Name, f.Doc, f.Comment)
	}
}

// fieldOwner describes a field or interface element, up to the name of
// the type that declares it.
func fieldOwner(f *ast.Field, iface bool) string {
	var names []string
	for _, n := range f.Names {
		names = append(names, n.Name)
	}
	switch {
	case len(names) == 0 && iface:
		return "interface " + types.ExprString(f.Type) + " embedded in interface "
	case len(names) == 0:
		return "embedded field " + types.ExprString(f.Type) + " of struct "
	case iface:
		return "method " + names[0] + " of interface "
	}
	return "field " + strings.Join(names, ", ") + " of struct "
}
