package rules

import (
	"fmt"
	"go/ast"
	"go/token"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// directivePrefix starts every lifecycle directive. Like //go: directives it
// has no space after the slashes, so gofmt leaves it alone.
const directivePrefix = "//lifecycle:"

// The verbs of the directives. All but ignore are Kind names.
const (
	verbInsert = "insert"
	verbDelete = "delete"
	verbFree   = "free"
	verbClose  = "close"
	verbKeep   = "keep"
	verbNone   = "none"
	verbIgnore = "ignore"
)

// opVerbs are the verbs that declare an operation, in the order messages
// list them.
var opVerbs = []string{verbInsert, verbDelete, verbFree, verbClose, verbKeep, verbNone}

// Directive is one //lifecycle: comment, checked for its verb and arity.
type Directive struct {
	// Verb is insert, delete, free, close, keep, none or ignore.
	Verb string
	// Args are the parameter names (or _) of an operation's directive, in
	// the order written; for ignore, the single reason.
	Args []string
	// Pos is where the comment starts; ParseDirective leaves it unset.
	Pos token.Pos
}

// String renders d as it is written in source.
func (d Directive) String() string {
	if len(d.Args) == 0 {
		return directivePrefix + d.Verb
	}
	return directivePrefix + d.Verb + " " + strings.Join(d.Args, " ")
}

// DirectiveError is a malformed or unresolvable directive, at the directive.
type DirectiveError struct {
	Pos token.Pos
	Msg string
}

func (e DirectiveError) Error() string { return e.Msg }

// ParseDirective parses the text of one comment, as in ast.Comment.Text.
// It reports ok=false for a comment that is not a lifecycle directive, and
// an error for one that is malformed. A comment after the directive, as in
// "//lifecycle:free x // the pool owns x", is not part of it. On error d.Verb is the verb as
// written, when there is one, so a caller can tell which directive it was.
func ParseDirective(text string) (d Directive, ok bool, err error) {
	rest, ok := strings.CutPrefix(text, directivePrefix)
	if !ok {
		return misspelledDirective(text)
	}
	rest = trailingComment.ReplaceAllString(rest, "")
	verb, args := splitVerb(rest)
	d = Directive{Verb: verb}
	if r, _ := utf8.DecodeRuneInString(rest); verb != "" && unicode.IsSpace(r) {
		return d, true, fmt.Errorf("unexpected space after %q: write %s%s", directivePrefix, directivePrefix, verb)
	}
	switch {
	case verb == "":
		return d, true, fmt.Errorf("empty lifecycle directive: want %s%s", directivePrefix, verbList)
	case verb == verbIgnore:
		if args == "" {
			return d, true, fmt.Errorf("%signore needs a reason: write %signore REASON", directivePrefix, directivePrefix)
		}
		d.Args = []string{args}
		return d, true, nil
	case slices.Contains(opVerbs, verb):
		d.Args = strings.Fields(args)
		return d, true, checkArgs(d)
	}
	return d, true, fmt.Errorf("unknown lifecycle directive %q: want %s", verb, verbList)
}

// verbList names every verb for messages.
const verbList = "insert, delete, free, close, keep, none or ignore"

// trailingComment is a comment after a directive, as in
// "//lifecycle:free x // the pool owns x": it is not part of the directive.
var trailingComment = regexp.MustCompile(`(?s)\s//.*`)

// misspelledDirective catches "// lifecycle:free x": gofmt keeps the space,
// and the directive would be ignored without a word.
func misspelledDirective(text string) (Directive, bool, error) {
	rest, ok := strings.CutPrefix(text, "//")
	rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
	if !ok || !strings.HasPrefix(rest, "lifecycle:") {
		return Directive{}, false, nil
	}
	verb, _ := splitVerb(trailingComment.ReplaceAllString(strings.TrimPrefix(rest, "lifecycle:"), ""))
	if verb == verbIgnore || slices.Contains(opVerbs, verb) {
		return Directive{Verb: verb}, true, fmt.Errorf("unexpected space after //: write %s%s", directivePrefix, verb)
	}
	return Directive{}, false, nil
}

// splitVerb splits the text after the prefix into the verb and the rest,
// trimmed of spaces.
func splitVerb(s string) (verb, rest string) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i:])
}

// checkArgs checks the names of an operation's directive.
func checkArgs(d Directive) error {
	usage := map[string]string{
		verbInsert: "insert INDEX OBJ",
		verbDelete: "delete INDEX OBJ",
		verbFree:   "free OBJ",
		verbClose:  "close OBJ",
		verbKeep:   "keep OBJ",
		verbNone:   "none OBJ",
	}[d.Verb]
	if want := strings.Count(usage, " "); len(d.Args) != want {
		return fmt.Errorf("%s%s takes %s, got %d: write %s%s", directivePrefix, d.Verb, names(want), len(d.Args), directivePrefix, usage)
	}
	for _, a := range d.Args {
		if !token.IsIdentifier(a) {
			return fmt.Errorf("%q is not a parameter name: write the name of a parameter, or _", a)
		}
	}
	switch {
	case len(d.Args) == 1 && d.Args[0] == "_":
		return fmt.Errorf("%s%s needs the %s object: write %s%s OBJ with a parameter name", directivePrefix, d.Verb, participle(d.Verb), directivePrefix, d.Verb)
	case d.Verb == verbInsert && slices.Contains(d.Args, "_"):
		return fmt.Errorf("%sinsert needs both index and object: write %sinsert INDEX OBJ with parameter names", directivePrefix, directivePrefix)
	case d.Verb == verbDelete && d.Args[0] == "_" && d.Args[1] == "_":
		return fmt.Errorf("%sdelete _ _ names neither index nor object: name at least one of them", directivePrefix)
	}
	return nil
}

// participle describes the object of a unary verb (free, close, keep), as
// in "the freed object".
func participle(verb string) string {
	switch verb {
	case verbFree:
		return "freed"
	case verbClose:
		return "closed"
	case verbNone:
		return "left alone"
	}
	return "kept"
}

func names(n int) string {
	if n == 1 {
		return "1 name"
	}
	return fmt.Sprintf("%d names", n)
}

// FuncDirectives returns the directives that declare operations (insert,
// delete, free, close, keep) in the doc comment of decl, and an error for
// each malformed one. Ignore directives, well-formed or not, are left to
// IgnoreDirectives, so that each comment is reported once.
func FuncDirectives(decl *ast.FuncDecl) ([]Directive, []DirectiveError) {
	if decl.Doc == nil {
		return nil, nil
	}
	var ds []Directive
	var errs []DirectiveError
	for _, c := range decl.Doc.List {
		d, ok, err := ParseDirective(c.Text)
		switch {
		case !ok || d.Verb == verbIgnore:
		case err != nil:
			errs = append(errs, DirectiveError{Pos: c.Slash, Msg: err.Error()})
		default:
			d.Pos = c.Slash
			ds = append(ds, d)
		}
	}
	return ds, errs
}
