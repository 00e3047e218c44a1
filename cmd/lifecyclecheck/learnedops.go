package main

import (
	"fmt"
	"go/types"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// addEffect adds the rule that says what e does, as an entry, or, when a
// rule cannot say it, a comment that says what it does and why no rule
// can. Only inserts, deletes, frees and closes are written.
func (s *section) addEffect(fn *types.Func, e analyzer.Effect) {
	switch e.Op {
	case rules.Insert, rules.Delete, rules.Free, rules.Close:
	default:
		return
	}
	if e.Op == rules.Delete && e.Index.Kind == 0 {
		// "Out of whatever index holds it": the engine's reading of a
		// close method that calls a cleanup it holds in a field (a
		// context's cancel as often as an unlink), no operation to declare.
		return
	}
	if why := unwritable(e); why != "" {
		if e.Op == rules.Delete && e.Object.Base == analyzer.AnyObject && e.By == nil {
			// A delete by a key no parameter gives, passed on from a
			// callee as often as not: no rule, and too many to read.
			return
		}
		s.add("", fmt.Sprintf("%s %s (%s)", fn.FullName(), does(e), why))
		return
	}
	entry := fmt.Sprintf("{func: %s, op: %s, object: %s", strconv.Quote(fn.FullName()), e.Op, position(e.Object.Base == analyzer.ParamOperand, e.Object.Pos))
	if !e.Op.Unary() {
		entry += ", index: " + position(e.Index.Kind == analyzer.ParamIndex, e.Index.Pos)
	}
	l := s.add(entry+"}", "")
	if e.Op == rules.Delete && e.Index.Exported() && !slices.Contains(l.notes, e.Index.String()) {
		l.notes = append(l.notes, e.Index.String())
		slices.Sort(l.notes)
	}
}

// position writes a parameter position, or _ when there is none.
func position(isParam bool, pos int) string {
	if !isParam {
		return "_"
	}
	return strconv.Itoa(pos)
}

// unwritable returns why no rule can say what e does, or "" when one can:
// a rule names parameters (the receiver included), whole, and an index
// only as a parameter or as _, which a delete may use (the object leaves
// whatever index holds it) and an insert may not.
func unwritable(e analyzer.Effect) string {
	o := e.Object
	switch {
	case o.Base == analyzer.ResultOperand:
		return "a result; a rule names only parameters"
	case o.Base == analyzer.FreeVarOperand:
		return "a captured variable; a rule names only parameters"
	case o.Path != "":
		return "a field of a parameter; a rule names only whole parameters"
	case e.Key != nil:
		return "a rule cannot name the key"
	case e.Guard != nil:
		return "only under that condition; a rule cannot state it"
	case e.Maybe:
		return "on some paths only, keeping it on the others; a rule cannot state it"
	case e.Async:
		return "in a goroutine it starts, when that goroutine ends; a rule would make it the call's own"
	case o.Base == analyzer.AnyObject && e.Op != rules.Delete:
		return "no particular object; a rule names one"
	case o.Base == analyzer.AnyObject && e.Index.Kind != analyzer.ParamIndex:
		return fmt.Sprintf("a delete by key from %s; a rule cannot name the index", indexKind(e.Index.Kind))
	case e.Op == rules.Insert && e.Ident:
		return "it goes in under its identity, a key naming it; a rule would store the object itself"
	case e.Op == rules.Insert && e.Index.Kind != analyzer.ParamIndex:
		return indexKind(e.Index.Kind) + "; a rule cannot name it"
	}
	return ""
}

// indexKind says what kind of index k is, for comments.
func indexKind(k analyzer.IndexKind) string {
	switch k {
	case analyzer.GlobalIndex:
		return "a package-level index"
	case analyzer.FieldIndex:
		return "a field index"
	case analyzer.ParamIndex:
		return "a parameter"
	case analyzer.FreeVarIndex:
		return "a captured index"
	case analyzer.LocalIndex:
		return "an index of the function's own"
	}
	return "an unknown index"
}

// does says what e does, as facts show operands and indexes: inserts p1
// into Hub.byID, closes p0.conn.
func does(e analyzer.Effect) string {
	idx := "whatever index holds it"
	if e.Index.Kind != 0 {
		idx = e.Index.String()
	}
	switch {
	case e.Op == rules.Insert:
		return fmt.Sprintf("inserts %s into %s%s", e.Object, idx, e.Guard)
	case e.Op == rules.Delete && e.Key != nil:
		return fmt.Sprintf("replaces the entry under key %s in %s", e.Key, idx)
	case e.Op == rules.Delete && e.Object.Base == analyzer.AnyObject:
		return "deletes by key from " + idx
	case e.Op == rules.Delete:
		return fmt.Sprintf("deletes %s from %s", e.Object, idx)
	case e.Op == rules.Free:
		return "frees " + e.Object.String()
	}
	return "closes " + e.Object.String()
}

// addGroup adds the group g that fn learned, after a comment saying where
// it was learned; a group some package has already added gets the comment
// there instead. seen maps each group's entry to its line.
func (s *section) addGroup(fn *types.Func, g analyzer.Group, seen map[string]*line) {
	from := "learned from " + fn.FullName()
	if g.Where != "" {
		from += " at " + g.Where
	}
	var names []string
	for _, id := range g.Indexes {
		if !id.Exported() {
			s.lines = append(s.lines, &line{before: []string{from}, comment: fmt.Sprintf("%s (%s is %s; a rules file cannot name it)", g, id, indexKind(id.Kind))})
			return
		}
		names = append(names, yamlScalar(id.Name))
	}
	slices.Sort(names)
	names = slices.Compact(names)
	entry := fmt.Sprintf("{indexes: [%s]}", strings.Join(names, ", "))
	if l, ok := seen[entry]; ok {
		if !slices.Contains(l.before, from) {
			l.before = append(l.before, from)
		}
		return
	}
	l := &line{entry: entry, before: []string{from}}
	seen[entry] = l
	s.lines = append(s.lines, l)
}

// plainScalar matches what YAML reads as a plain string in a flow list:
// an index name needs no quotes unless it holds something unusual.
var plainScalar = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_./~+-]*$`)

func yamlScalar(s string) string {
	if plainScalar.MatchString(s) {
		return s
	}
	return strconv.Quote(s)
}
