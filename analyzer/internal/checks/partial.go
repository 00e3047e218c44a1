package checks

import (
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// The partial check compares removals across functions. A function that
// removes one subject (an object, or the entries under its key) from
// several indexes on one path says that those indexes hold it together: a
// group. Another function that removes it from some of the group, and
// leaves the rest holding it, deviates, when it shows it means to be done
// with the subject: it also ends it, or it removes it from at least two of
// the group. A removal from one index alone (a move from pending to
// active, an in-flight set cleared while the object stays in its primary
// map) is no such sign. Indexes an object moves between (deleted from
// one, inserted into the other by some function) never hold it at once,
// so leaving one of them is no deviation.
//
// Ranking: a group is a rule of the code only where the removals of all
// of it are at least as many as the removals of part of it, counting one
// per function and subject, plus one for each group imported or declared
// and one for each function that puts the subject in all of it (all
// partial removals count, those reported and those that only take the
// subject out of one index while it goes on, but not a function's undo of
// its own insert).

// Evidence is a group of indexes one subject leaves together, and where
// that was seen.
type Evidence struct {
	Group facts.Group
	From  string    // the function that removes it from all of them, as the user reads it
	Pos   token.Pos // in this package, else NoPos (Group.Where says where)
	// Declared says the group comes from the rules file (groups:), not
	// from a function.
	Declared bool
	// Inserted says the function puts the subject in all of the group
	// on one path, rather than removing it from all.
	Inserted bool
}

func (e Evidence) key() string { return groupKey(e.Group.Indexes) }

func groupKey(ids []facts.IndexID) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = id.Name
	}
	return strings.Join(names, "\x00")
}

// PartialReporter receives the partial check's defects.
type PartialReporter interface {
	// Partial: fn removes a subject from the indexes removed, first at rm,
	// and leaves it in left, while ev shows a function removing it from
	// all of them.
	Partial(fn *ssa.Function, rm events.Removal, removed, left []facts.IndexID, ev Evidence)
}

// LearnGroups returns the group each subject of rs leaves together, if it
// leaves at least two indexes on one path, with the subject's operand and
// the position of its first removal.
func LearnGroups(rs *events.Removals, where func(token.Pos) string) ([]facts.Group, []token.Pos) {
	return learn(rs, func(s *events.Subject) []events.Removal { return s.Removed },
		func(s *events.Subject) facts.Operand { return subjectOperand(rs.Fn, s) }, where)
}

// LearnInsertGroups returns the groups each subject of rs goes into
// together: at least two indexes it is put in on one path, with the
// position of the first insert. They stay in the package: no Where.
func LearnInsertGroups(rs *events.Removals) ([]facts.Group, []token.Pos) {
	return learn(rs, func(s *events.Subject) []events.Removal { return s.Inserted },
		func(*events.Subject) facts.Operand { return facts.Operand{Base: facts.AnyObject} }, nil)
}

// learn returns, for each subject of rs, the group of indexes that the
// operations ops picks pass on one path, if at least two, once per group,
// the subject named by operand.
func learn(rs *events.Removals, ops func(*events.Subject) []events.Removal, operand func(*events.Subject) facts.Operand, where func(token.Pos) string) ([]facts.Group, []token.Pos) {
	var out []facts.Group
	var at []token.Pos
	for _, s := range rs.Subjects {
		list := ops(s)
		together := events.Together(list)
		if len(together) < 2 {
			continue
		}
		first := firstIn(list, together)
		g := facts.Group{Object: operand(s), Indexes: together}
		if where != nil {
			g.Where = where(first.Pos)
		}
		if !slices.ContainsFunc(out, func(h facts.Group) bool { return groupKey(h.Indexes) == groupKey(g.Indexes) }) {
			out = append(out, g)
			at = append(at, first.Pos)
		}
	}
	return out, at
}

// maximal drops the evidence whose group is a strict part of another's:
// a function that removes a subject from two of three indexes deviates
// from the three; it is no rule of its own.
func maximal(evidence []Evidence) []Evidence {
	var out []Evidence
	for _, e := range evidence {
		if !slices.ContainsFunc(evidence, func(f Evidence) bool {
			return len(f.Group.Indexes) > len(e.Group.Indexes) && subset(e.Group.Indexes, f.Group.Indexes)
		}) {
			out = append(out, e)
		}
	}
	return out
}

// subjectOperand names the subject as a summary does: the parameter it
// is, or _.
func subjectOperand(fn *ssa.Function, s *events.Subject) facts.Operand {
	r := s.Removed[0]
	v := r.Call.Args[r.Arg]
	for i, p := range fn.Params {
		if p == v {
			return facts.Operand{Base: facts.ParamOperand, Pos: i}
		}
	}
	return facts.Operand{Base: facts.AnyObject}
}

// Partial judges the removals of a package's functions against the
// groups in evidence (learned in the package, imported, declared).
func Partial(all []*events.Removals, evidence []Evidence, rep PartialReporter) {
	if len(evidence) == 0 {
		return
	}
	evidence = maximal(evidence)
	exclusive := moves(all)
	agreeing := make(map[string]int)
	byKey := make(map[string]Evidence)
	for _, e := range evidence {
		k := e.key()
		if old, seen := byKey[k]; !seen || old.Inserted && !e.Inserted {
			byKey[k] = e // a function that removes from all names the report before one that puts in all
		}
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	slices.Sort(keys) // deterministic: the first group a subject deviates from names the report
	for k, e := range byKey {
		if e.Pos == token.NoPos {
			agreeing[k]++ // the function of another package, or a declaration
		}
	}
	for _, e := range evidence {
		if e.Inserted {
			agreeing[e.key()]++ // a function that puts it in all of them
		}
	}
	type deviation struct {
		fn       *ssa.Function
		rm       events.Removal
		removed  []facts.IndexID
		left     []facts.IndexID
		evidence Evidence
	}
	var found []deviation
	deviating := make(map[string]int)
	for _, rs := range all {
		for _, s := range rs.Subjects {
			removed := s.Indexes()
			together := s.Together()
			for _, k := range keys {
				e := byKey[k]
				g := e.Group.Indexes
				if subset(g, removed) {
					agreeing[k]++
					continue
				}
				in := intersect(removed, g)
				if len(in) == 0 || len(intersect(s.MovedTo, g)) > 0 {
					continue // not removed, or the undo of what this function put in part of the group
				}
				left := slices.DeleteFunc(slices.Clone(g), func(id facts.IndexID) bool {
					return slices.Contains(removed, id) || slices.Contains(rs.Cleared, id) || exclusive.any(id, in)
				})
				if len(left) == 0 {
					continue
				}
				deviating[k]++ // any partial removal breaks the rule, reported or not
				if len(intersect(together, g)) < 2 && !s.Ended {
					continue // one index alone, the object going on: no sign it is done with
				}
				found = append(found, deviation{rs.Fn, firstIn(s.Removed, g), in, left, e})
			}
		}
	}
	reported := make(map[token.Pos]bool)
	for _, d := range found {
		k := d.evidence.key()
		if agreeing[k] < deviating[k] || reported[d.rm.Pos] {
			continue
		}
		reported[d.rm.Pos] = true
		rep.Partial(d.fn, d.rm, d.removed, d.left, d.evidence)
	}
}

func firstIn(rms []events.Removal, g []facts.IndexID) events.Removal {
	var first events.Removal
	for _, r := range rms {
		if slices.Contains(g, r.Idx) && (first.Pos == token.NoPos || r.Pos < first.Pos) {
			first = r
		}
	}
	return first
}

func subset(a, b []facts.IndexID) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

func intersect(a, b []facts.IndexID) []facts.IndexID {
	var out []facts.IndexID
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// exclusion holds the pairs of indexes some function moves an object
// between: it is in one or the other.
type exclusion map[[2]string]bool

func (ex exclusion) any(id facts.IndexID, others []facts.IndexID) bool {
	for _, o := range others {
		if ex[[2]string{id.Name, o.Name}] {
			return true
		}
	}
	return false
}

func moves(all []*events.Removals) exclusion {
	ex := make(exclusion)
	for _, rs := range all {
		for _, s := range rs.Subjects {
			for _, r := range s.Removed {
				for _, to := range s.MovedTo {
					if to != r.Idx {
						ex[[2]string{r.Idx.Name, to.Name}] = true
						ex[[2]string{to.Name, r.Idx.Name}] = true
					}
				}
			}
		}
	}
	return ex
}

var partialDoc = Doc{
	Check: rules.CheckPartial,
	Title: "Object removed from only some of its indexes",
	Reports: "A path removes an object (or the entries under its key) from some of a group of indexes and " +
		"leaves the rest holding it, where the code shows the group is left together. Reported at the " +
		"first removal, with the function that removes it from all of them.",
	Details: "A group is learned from a function that removes one subject from several indexes on one path, " +
		"or that puts one object in several indexes on one path (`add` storing a session in `byID` and `byUser`) " +
		"(a key and the object looked up by it are one subject, as are a range's key and value, and `s.id` " +
		"names `s`); groups of removals travel to importing packages as facts (groups of inserts count in " +
		"their own package), and the rules file can declare them " +
		"(`groups:`). A removal is judged when the path also ends the object, or removes it from at least " +
		"two of the group; an object that moves between two indexes is never in both, and a function that " +
		"takes back what it put in part of the group itself (the undo of a create that failed half-way) " +
		"neither deviates nor counts against the rule.\n\n" +
		"Two kinds of relation are judged on their own evidence. A relation kept in two nested maps, one " +
		"the other read backwards (`byTopic[t][p]` and `byPeer[p][t]`, stored together), must lose its " +
		"pairs from both. A reverse index (`byID[e.id] = name`, stored with `byName[name] = e`) loses an " +
		"entry's attribute with the entry; a store over a key that may hold an entry, without looking " +
		"the old one up, leaves the old attribute behind. Ranking: reported only where the functions " +
		"that remove from all (or put in all) are at least as many as those that remove from part.",
	Example: `
package example

type Session struct{ id, user string }

func (s *Session) Close() error { return nil }

type Hub struct {
	byID   map[string]*Session
	byUser map[string]*Session
}

func (h *Hub) remove(s *Session) { // want remove:"group _ from Hub.byID, Hub.byUser"
	delete(h.byID, s.id)
	delete(h.byUser, s.user)
}

func (h *Hub) expire(s *Session) { // want expire:"close p1"
	delete(h.byID, s.id) // want "s removed from Hub.byID but left in Hub.byUser"
	s.Close()
}
`,
	Report: "example.go:18:8: s removed from Hub.byID but left in Hub.byUser: (*Hub).remove removes it from all 2 [partial]",
	Fix:    "remove the object from every index of the group on that path (or call the function that does).",
	NoFix:  "the removal the evidence makes is to be written on this path, or the function that makes it called",
}
