package rules

import (
	"bytes"
	"fmt"
	"go/token"
	"os"
	"regexp"
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// DefaultFile is the rules file found at the module root when no -rules
// flag names one.
const DefaultFile = ".lifecyclecheck.yaml"

// File is a parsed rules file: operations of functions that cannot carry
// directives, such as those of another module, groups of indexes that
// objects leave together, and the checks and built-in kinds to run.
type File struct {
	Name  string
	Rules []Rule
	// Groups are the groups: entries, each a set of indexes that an
	// object leaves together.
	Groups []GroupRule
	// Checks is the checks: selection as written, each element a check
	// name, all, or either prefixed with - (see ParseChecks); nil when
	// the file has no checks:. ChecksLine is the line of the key.
	Checks     []string
	ChecksLine int
	// Disable lists the built-in kinds that disable: turns off (see
	// Kinds). DisableLine is the line of the key, 0 when absent.
	Disable     []string
	DisableLine int
	// Exclude lists the path globs (relative to the module root, ** for
	// any directories) of files whose findings are not reported:
	// generated code, examples.
	Exclude []string
}

// Rule is one entry of a rules file, checked for shape but not yet resolved
// against the types of its function.
type Rule struct {
	// Func is the function's full name as types.Func.FullName spells it.
	Func string
	Op   Kind
	// Index and Object name a parameter, give its position in digits (0 is
	// the receiver of a method), or are "_". Index is "" for free.
	Index, Object string
	// Line is the line of the rule in the file.
	Line int
}

// FileError is a problem in a rules file, at a line of it.
type FileError struct {
	File string
	Line int
	Msg  string
}

func (e *FileError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// LoadFile reads and parses the rules file at path.
func LoadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read rules file: %w", err)
	}
	return ParseFile(path, data)
}

// ParseFile parses the rules file called name with contents data. Every
// problem found is reported as a *FileError; several are joined, in line
// order. Unless the YAML itself cannot be read, the file comes back even
// with an error, holding what is well formed (the rules, groups, checks
// and kinds without problems), so that a caller can resolve those too and report
// every problem of the file at once (see JoinErrors); it must not run
// anything on such a file.
func ParseFile(name string, data []byte) (*File, error) {
	p := &fileParser{name: name}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, p.syntaxError(err, lineCount(data))
	}
	if len(bytes.TrimSpace(data)) == 0 || len(doc.Content) == 0 {
		return nil, p.errorf(1, "empty rules file: write %s", wantKeys)
	}
	if !p.noAliases(&doc) {
		return nil, p.err()
	}
	return p.file(doc.Content[0]), p.err()
}

// fileParser collects the problems of one rules file.
type fileParser struct {
	name string
	errs []error
}

func (p *fileParser) errorf(line int, format string, args ...any) error {
	err := &FileError{File: p.name, Line: line, Msg: fmt.Sprintf(format, args...)}
	p.errs = append(p.errs, err)
	return err
}

// err returns the problems found: nil, the one *FileError, or all of them
// joined, one per line, in line order.
func (p *fileParser) err() error { return JoinErrors(p.errs...) }

// yamlLine finds the line in the parser's errors: "yaml: line 3: ...".
var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

// parserProblems are the problems the YAML parser, unlike its scanner,
// reports with a line counted from 0.
var parserProblems = []string{
	"did not find expected <stream-start>",
	"did not find expected <document start>",
	"did not find expected node content",
	"did not find expected '-' indicator",
	"did not find expected key",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"found undefined tag handle",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found duplicate %TAG directive",
}

func (p *fileParser) syntaxError(err error, lines int) error {
	msg, line := err.Error(), 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		msg = msg[len(m[0]):]
		if n, err := strconv.Atoi(m[1]); err == nil && n > 0 {
			line = n
			if slices.Contains(parserProblems, msg) {
				line++
			}
			// A problem at the end of the stream is on the last line.
			line = min(line, lines)
		}
	}
	return p.errorf(line, "invalid yaml: %s", msg)
}

// lineCount returns the number of lines of data, at least 1.
func lineCount(data []byte) int {
	n := bytes.Count(data, []byte("\n"))
	if len(data) == 0 || data[len(data)-1] != '\n' {
		n++
	}
	return n
}

// noAliases reports every alias in the tree of n: a rules file spells its
// values out, and the checks below need not follow references.
func (p *fileParser) noAliases(n *yaml.Node) bool {
	ok := true
	if n.Kind == yaml.AliasNode {
		p.errorf(n.Line, "aliases are not supported in a rules file: write the value out")
		ok = false
	}
	for _, c := range n.Content {
		ok = p.noAliases(c) && ok
	}
	return ok
}

// mapping returns the entries of a mapping node, reporting duplicate and
// unknown keys (where is "the rules file" or "a rule").
func (p *fileParser) mapping(n *yaml.Node, where string, keys ...string) map[string]*yaml.Node {
	m := make(map[string]*yaml.Node)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case k.Kind != yaml.ScalarNode || !slices.Contains(keys, k.Value):
			p.errorf(k.Line, "unknown key %s in %s: want %s", describe(k), where, orList(keys))
		case m[k.Value] != nil:
			p.errorf(k.Line, "duplicate key %q in %s: keep one", k.Value, where)
		default:
			m[k.Value] = v
		}
	}
	return m
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// describe quotes a key for a message, whatever its kind.
func describe(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return strconv.Quote(n.Value)
	}
	return "of kind " + kindName(n.Kind)
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.AliasNode:
		return "alias"
	}
	return "scalar"
}

// isRef reports whether s may name a parameter in a rule: a name, a
// position in digits, or _.
func isRef(s string) bool { return token.IsIdentifier(s) || isDigits(s) }
