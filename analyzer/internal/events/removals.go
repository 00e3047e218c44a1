package events

import (
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// Removals is what a function does to one subject (an object, or the
// entries under one key) in the indexes that outlive it, read from its
// instructions without the dataflow: the evidence the partial check
// compares across functions. The entries under a key and the object
// looked up by that key are one subject (s := h.byID[id]; delete(h.byID,
// id); delete(h.byUser, s.user)); a field of an object names the object
// (delete(h.byID, s.id)).
type Removals struct {
	Fn       *ssa.Function
	Subjects []*Subject
	// Cleared are the indexes the function empties, or removes from by a
	// callee's delete whose key is not known: every subject may leave them.
	Cleared []facts.IndexID
}

// Subject is one object or key of a function, with what the function
// does to it.
type Subject struct {
	Removed []Removal // in instruction order
	Ended   bool      // closed or freed in the function
	// MovedTo are the indexes the function inserts it into: an object
	// deleted from one index and inserted into another moves between them.
	MovedTo []facts.IndexID
	// Inserted are the function's own inserts of it (m[k] = v), in
	// instruction order: indexes it puts it in together form a group as
	// removals do.
	Inserted []Removal
}

// Removal is one removal of a subject from an index.
type Removal struct {
	Idx   facts.IndexID
	Pos   token.Pos
	Instr ssa.Instruction
	Call  *ssa.CallCommon // the delete or the call that removes
	Arg   int             // the argument of Call naming the subject
	Field bool            // the argument is a field of the subject (s.id)
}

// Indexes returns the indexes the subject leaves, sorted by name, once
// each: not those it is put back into (a new key in the same index).
func (s *Subject) Indexes() []facts.IndexID {
	var out []facts.IndexID
	for _, r := range s.Removed {
		if !slices.Contains(out, r.Idx) && !slices.Contains(s.MovedTo, r.Idx) {
			out = append(out, r.Idx)
		}
	}
	slices.SortFunc(out, byName)
	return out
}

func byName(a, b facts.IndexID) int { return strings.Compare(a.Name, b.Name) }

// Together returns the indexes the subject leaves on one path: removals
// whose blocks lie on one chain of dominators, from the first removal.
// Removals on separate branches (a switch on the kind) are not together.
func (s *Subject) Together() []facts.IndexID { return Together(s.Removed) }

// Together returns the indexes of rs that one path passes: operations
// whose blocks lie on one chain of dominators.
func Together(rs []Removal) []facts.IndexID {
	var best []facts.IndexID
	for i, r := range rs {
		chain := []facts.IndexID{r.Idx}
		for j, q := range rs {
			if i != j && onOnePath(r.Instr, q.Instr) && !slices.Contains(chain, q.Idx) {
				ok := true
				for _, c := range rs {
					if slices.Contains(chain, c.Idx) && !onOnePath(c.Instr, q.Instr) {
						ok = false
					}
				}
				if ok {
					chain = append(chain, q.Idx)
				}
			}
		}
		if len(chain) > len(best) {
			best = chain
		}
	}
	slices.SortFunc(best, byName)
	return best
}

// InsertedTogether returns the indexes the function puts the subject in
// on one path (as Together does for removals), sorted by name.
func (s *Subject) InsertedTogether() []facts.IndexID {
	return Together(s.Inserted)
}

// onOnePath reports whether a and b can run on one path, one after the
// other: they share a block or one's block dominates the other's. (Without
// post-dominators, a removal dominated by another may still be skipped by
// a branch after the first; the group is what one path can remove.)
func onOnePath(a, b ssa.Instruction) bool {
	return a.Block() == b.Block() || a.Block().Dominates(b.Block()) || b.Block().Dominates(a.Block())
}

// FindRemovals reads fn's removals from indexes that outlive it.
func FindRemovals(p Pass, fn *ssa.Function) *Removals {
	rf := &removalFinder{p: p, fn: fn, parent: make(map[ssa.Value]ssa.Value), subj: make(map[ssa.Value]*Subject)}
	rf.unifyLookups()
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			rf.instr(instr)
		}
	}
	out := &Removals{Fn: fn, Cleared: rf.cleared}
	for _, root := range rf.order {
		if s := rf.subj[root]; len(s.Removed) > 0 || len(s.InsertedTogether()) >= 2 {
			out.Subjects = append(out.Subjects, s)
		}
	}
	return out
}

type removalFinder struct {
	p       Pass
	fn      *ssa.Function
	parent  map[ssa.Value]ssa.Value // union-find over subject values
	subj    map[ssa.Value]*Subject
	order   []ssa.Value
	cleared []facts.IndexID
}

func (rf *removalFinder) clear(id facts.IndexID) {
	if !slices.Contains(rf.cleared, id) {
		rf.cleared = append(rf.cleared, id)
	}
}

// root returns the value standing for v's subject.
func (rf *removalFinder) root(v ssa.Value) ssa.Value {
	for {
		p, ok := rf.parent[v]
		if !ok || p == v {
			return v
		}
		v = p
	}
}

func (rf *removalFinder) union(a, b ssa.Value) {
	ra, rb := rf.root(a), rf.root(b)
	if ra != rb {
		rf.parent[rb] = ra
	}
}

// subjectValue is the value naming v's subject: the object whose field v
// loads (s.id names s), else v itself.
func subjectValue(v ssa.Value) ssa.Value {
	v = model.Strip(v)
	if ld, ok := v.(*ssa.UnOp); ok && ld.Op == token.MUL {
		if fa, ok := ld.X.(*ssa.FieldAddr); ok {
			return model.Strip(fa.X)
		}
	}
	if f, ok := v.(*ssa.Field); ok {
		return model.Strip(f.X)
	}
	return v
}

// unifyLookups makes a key and the object looked up by it one subject,
// as it makes the key and the value of a range over a map.
func (rf *removalFinder) unifyLookups() {
	for _, b := range rf.fn.Blocks {
		for _, instr := range b.Instrs {
			if next, ok := instr.(*ssa.Next); ok && !next.IsString {
				rf.unifyRange(next)
				continue
			}
			lk, ok := instr.(*ssa.Lookup)
			if !ok {
				continue
			}
			if _, isMap := lk.X.Type().Underlying().(*types.Map); !isMap {
				continue
			}
			var val ssa.Value = lk
			if lk.CommaOk {
				val = nil
				for _, r := range *lk.Referrers() {
					if ex, ok := r.(*ssa.Extract); ok && ex.Index == 0 {
						val = ex
					}
				}
			}
			if val != nil && model.IsRef(val.Type()) {
				rf.union(subjectValue(lk.Index), val)
			}
		}
	}
}

// unifyRange makes the key and the value of one iteration one subject.
func (rf *removalFinder) unifyRange(next *ssa.Next) {
	var key, val ssa.Value
	for _, r := range *next.Referrers() {
		if ex, ok := r.(*ssa.Extract); ok {
			switch ex.Index {
			case 1:
				key = ex
			case 2:
				val = ex
			}
		}
	}
	if key != nil && val != nil {
		rf.union(key, val)
	}
}

func (rf *removalFinder) subject(v ssa.Value) *Subject {
	r := rf.root(subjectValue(v))
	s, ok := rf.subj[r]
	if !ok {
		s = &Subject{}
		rf.subj[r] = s
		rf.order = append(rf.order, r)
	}
	return s
}

func (rf *removalFinder) instr(instr ssa.Instruction) {
	switch x := instr.(type) {
	case *ssa.MapUpdate:
		if id, ok := model.DirectIndex(x.Map); ok && id.Exported() {
			for i, v := range []ssa.Value{x.Key, x.Value} {
				s := rf.subject(v)
				if !slices.Contains(s.MovedTo, id) {
					s.MovedTo = append(s.MovedTo, id)
				}
				if i == 1 && model.IsRef(x.Value.Type()) && !slices.ContainsFunc(s.Inserted, func(r Removal) bool { return r.Idx == id }) {
					s.Inserted = append(s.Inserted, Removal{Idx: id, Pos: x.Pos(), Instr: x})
				}
			}
		}
	case *ssa.Store:
		if _, isMap := x.Val.Type().Underlying().(*types.Map); isMap {
			if id, ok := model.DirectIndex(x.Addr); ok && id.Exported() {
				rf.clear(id) // a fresh map replaces the index
			}
		}
	case *ssa.Call:
		rf.call(x, x.Common())
	case *ssa.Defer:
		rf.call(x, x.Common())
	}
}

func (rf *removalFinder) call(instr ssa.Instruction, c *ssa.CallCommon) {
	if b, ok := c.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "delete":
			if _, isMap := c.Args[0].Type().Underlying().(*types.Map); !isMap || !rf.p.Rules().MapKind() {
				return
			}
			if id, ok := model.DirectIndex(c.Args[0]); ok && id.Exported() {
				s := rf.subject(c.Args[1])
				s.Removed = append(s.Removed, Removal{Idx: id, Pos: c.Pos(), Instr: instr, Call: c, Arg: 1,
					Field: subjectValue(c.Args[1]) != model.Strip(c.Args[1])})
			}
		case "clear":
			if id, ok := model.DirectIndex(c.Args[0]); ok && id.Exported() {
				rf.clear(id)
			}
		case "close":
			rf.subject(c.Args[0]).Ended = true
		}
		return
	}
	if c.IsInvoke() {
		if closeMethod(c.Method.Name()) {
			rf.subject(c.Value).Ended = true
		}
		return
	}
	callee := c.StaticCallee()
	if callee == nil {
		return
	}
	if callee.Signature.Recv() != nil && closeMethod(callee.Name()) && len(c.Args) > 0 {
		rf.subject(c.Args[0]).Ended = true
	}
	obj, _ := callee.Object().(*types.Func)
	sum := rf.p.FuncSummary(obj)
	if sum == nil {
		return
	}
	for _, e := range sum.Effects {
		arg := summaryArg(e)
		if arg < 0 || arg >= len(c.Args) {
			if e.Op == rules.Delete && e.Index.Exported() {
				rf.clear(e.Index) // by a key we cannot name
			}
			continue
		}
		switch {
		case e.Op == rules.Delete && e.Index.Exported() && !rf.p.Standard(e.Index.Package()):
			s := rf.subject(c.Args[arg])
			s.Removed = append(s.Removed, Removal{Idx: e.Index, Pos: c.Pos(), Instr: instr, Call: c, Arg: arg,
				Field: subjectValue(c.Args[arg]) != model.Strip(c.Args[arg])})
		case (e.Op == rules.Close || e.Op == rules.Free) && e.Guard == nil && !e.Maybe:
			rf.subject(c.Args[arg]).Ended = true
		}
	}
}

// summaryArg is the argument a summary's effect acts on: a parameter
// itself, or the key parameter of a delete by key; -1 otherwise.
func summaryArg(e facts.Effect) int {
	op := e.Object
	switch {
	case e.Key != nil:
		op = *e.Key
	case e.By != nil:
		if e.By.Base != facts.ParamOperand {
			return -1 // a captured variable's: no argument of the call
		}
		return e.By.Pos // the key parameter, or the object whose field it is
	}
	if op.Base != facts.ParamOperand || op.Path != "" {
		return -1
	}
	return op.Pos
}
