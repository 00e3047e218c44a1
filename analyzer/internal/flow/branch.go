package flow

import (
	"go/constant"
	"go/token"
	"slices"
	"strconv"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/events"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
)

// branch follows only the edge consistent with what s knows of the
// condition, or both, each knowing the outcome.
func (fl *Flow) branch(x *ssa.If, s *State, next func(*ssa.BasicBlock, *State)) {
	b := x.Block()
	if c, ok := x.Cond.(*ssa.Const); ok && c.Value != nil && c.Value.Kind() == constant.Bool {
		succ := b.Succs[1] // if debug { ... } with a false constant: the body never runs
		if constant.BoolVal(c.Value) {
			succ = b.Succs[0]
		}
		next(succ, fl.leave(s, b, succ))
		return
	}
	c, ok := fl.conds[x]
	if !ok {
		c.key, c.negated = model.CondKey(fl.fe.M, x.Cond)
		fl.conds[x] = c
	}
	key, negated := c.key, c.negated
	miss, isMiss := fl.fe.Misses[x]
	if v, known := s.condValue(key); known {
		i := 0
		if v == negated {
			i = 1
		}
		if isMiss && i == miss.Edge {
			s = missed(s, miss)
		}
		next(b.Succs[i], fl.leave(s, b, b.Succs[i]))
		return
	}
	for i, succ := range b.Succs[:2] {
		t := s.withCond(model.Cond{Key: key, Val: (i == 0) != negated, At: b})
		if isMiss && i == miss.Edge {
			t = missed(t, miss)
		}
		next(succ, fl.leave(t, b, succ))
	}
}

// missed returns s knowing that nothing is stored under miss.key in its
// index: v, ok := m[k]; if !ok { ... } (s is not changed).
func missed(s *State, miss events.MissTest) *State {
	gone := func(f InFact) bool { return f.Idx == miss.Idx && f.Site.Ev.Key != nil && f.Site.Ev.Key == miss.Key }
	if !slices.ContainsFunc(s.Facts, gone) {
		return s
	}
	t := s.clone()
	t.remove(gone)
	return t
}

// leave prepares s to enter succ: conditions decided in blocks that succ
// dominates are about values that will be computed again (a loop's next
// iteration), so they are forgotten.
// s is not changed: a copy is made when something is forgotten.
func (fl *Flow) leave(s *State, pred, succ *ssa.BasicBlock) *State {
	conds := s.Conds.forgetDominated(succ)
	for _, c := range fl.phiConds(s, pred, succ) {
		conds = conds.push(c)
	}
	if conds == s.Conds {
		return s
	}
	t := *s
	t.Conds = conds
	return &t
}

// phiConds returns what the edge pred→succ tells of succ's phis that
// branches test: x is nil when the edge brings nil, not nil when it brings
// an address, and a bool phi is the constant the edge brings. So a value
// set on one path and tested later (x := nil; if c { x = &p.f }; if x !=
// nil {...}) follows that path.
func (fl *Flow) phiConds(s *State, pred, succ *ssa.BasicBlock) []model.Cond {
	var out []model.Cond
	edge := slices.Index(succ.Preds, pred)
	for _, instr := range succ.Instrs {
		phi, ok := instr.(*ssa.Phi)
		if !ok {
			break
		}
		if edge < 0 || edge >= len(phi.Edges) || !fl.fe.TestedPhis[phi] {
			continue
		}
		v := phi.Edges[edge]
		class := model.ResultClass(v)
		if inner, ok := v.(*ssa.Phi); ok && class == "" {
			class = fl.knownClass(s, inner) // a phi of phis: what the path knew of the inner one
		}
		switch {
		case class == "nil" || class == "nonnil" || isAddress(v):
			out = append(out, model.Cond{Key: model.BinKey{Op: token.EQL, X: model.OperandKey(fl.fe.M, phi), Y: model.NilKey}, Val: class == "nil", At: pred})
		case class == "true" || class == "false":
			out = append(out, model.Cond{Key: model.OperandKey(fl.fe.M, phi), Val: class == "true", At: pred})
		}
	}
	return out
}

// knownClass says what s knows of the phi v: "nil", "nonnil", "true",
// "false" or "".
func (fl *Flow) knownClass(s *State, v *ssa.Phi) string {
	if isNil, known := s.condValue(model.BinKey{Op: token.EQL, X: model.OperandKey(fl.fe.M, v), Y: model.NilKey}); known {
		if isNil {
			return "nil"
		}
		return "nonnil"
	}
	if b, known := s.condValue(model.OperandKey(fl.fe.M, v)); known {
		return strconv.FormatBool(b)
	}
	return ""
}

// isAddress reports whether v is never nil: the address of something.
func isAddress(v ssa.Value) bool {
	switch v.(type) {
	case *ssa.FieldAddr, *ssa.IndexAddr, *ssa.Alloc, *ssa.MakeMap, *ssa.MakeChan, *ssa.MakeClosure, *ssa.Global, *ssa.Function:
		return true
	}
	return false
}
