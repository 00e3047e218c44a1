package summary

import (
	"go/token"
	"slices"
	"strconv"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
)

// guard finds a result whose value tells whether f holds at return: nil
// (or a bool) on every return with f in force, the opposite on every other.
func (sz *Summarizer) guard(holds func(*exitRec) bool) *facts.Guard {
	sig := sz.fe.M.Fn.Signature
	for i := 0; i < sig.Results().Len(); i++ {
		with, without := make(map[string]bool), make(map[string]bool)
		known := true
		for _, rec := range sz.exits {
			if rec.ret == nil || i >= len(rec.ret.Results) {
				known = false
				break
			}
			c := sz.exitClass(rec, rec.ret.Results[i])
			if c == "" {
				known = false
				break
			}
			if holds(&rec) {
				with[c] = true
			} else {
				without[c] = true
			}
		}
		if !known || len(with) != 1 || len(without) != 1 {
			continue
		}
		for w := range with {
			for wo := range without {
				if g := classGuard(i, w, wo); g != nil {
					return g
				}
			}
		}
	}
	return sz.paramGuard(holds)
}

// classGuard is the result guard that tells "with" returns from "without".
func classGuard(i int, w, wo string) *facts.Guard {
	switch {
	case w == "nil" && wo == "nonnil":
		return &facts.Guard{Result: i, Nil: true, Value: true}
	case w == "nonnil" && wo == "nil":
		return &facts.Guard{Result: i, Nil: true, Value: false}
	case w == "true" && wo == "false":
		return &facts.Guard{Result: i, Value: true}
	case w == "false" && wo == "true":
		return &facts.Guard{Result: i, Value: false}
	}
	return nil
}

// paramGuard finds a branch on a parameter that every return with f in
// force took the same way: if add { m[k] = p }. The insert then implies
// the condition, which is all a caller needs: an argument that fails it
// rules the insert out.
func (sz *Summarizer) paramGuard(holds func(*exitRec) bool) *facts.Guard {
	var with, without []*exitRec
	for i := range sz.exits {
		rec := &sz.exits[i]
		if rec.ret == nil {
			return nil
		}
		if holds(rec) {
			with = append(with, rec)
		} else {
			without = append(without, rec)
		}
	}
	if len(with) == 0 {
		return nil
	}
	// Of the conditions every such return took the same way, prefer the
	// one that rules out the most of the other returns: a switch on the
	// parameter, not a sanity check every path passes.
	var best *facts.Guard
	bestScore := -1
	for l := with[0].conds; l != nil; l = l.Next {
		c := l.Cond
		g := sz.paramCondGuard(c)
		if g == nil || !allKnow(with, c.Key, c.Val) {
			continue
		}
		score := 0
		for _, r := range without {
			if v, ok := r.conds.Value(c.Key); ok && v != c.Val {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = g, score
		}
	}
	return best
}

// allKnow reports whether every return's paths took condition key as val.
func allKnow(recs []*exitRec, key any, val bool) bool {
	for _, r := range recs {
		if v, ok := r.conds.Value(key); !ok || v != val {
			return false
		}
	}
	return true
}

// paramCondGuard describes a condition on one parameter, or returns nil.
func (sz *Summarizer) paramCondGuard(c model.Cond) *facts.Guard {
	params := sz.fe.M.Fn.Params
	if p, ok := c.Key.(*ssa.Parameter); ok {
		return &facts.Guard{Param: slices.Index(params, p) + 1, Value: c.Val}
	}
	b, ok := c.Key.(model.BinKey)
	if !ok {
		return nil
	}
	p, pOK := b.X.(*ssa.Parameter)
	k, kOK := b.Y.(model.ConstKey)
	left := false
	if !pOK {
		p, pOK = b.Y.(*ssa.Parameter)
		k, kOK = b.X.(model.ConstKey)
		left = true
	}
	if !pOK || !kOK {
		return nil
	}
	return &facts.Guard{Param: slices.Index(params, p) + 1, Op: b.Op, Const: k.Exact, ConstKind: k.Kind, ConstLeft: left, Value: c.Val}
}

// exitClass says what a returned value is known to be on the paths of
// rec: from the value itself, or from what those paths tested of it
// (if err != nil { return nil, err }).
func (sz *Summarizer) exitClass(rec exitRec, v ssa.Value) string {
	v = model.StoredResult(rec.ret, v)
	if c := model.ResultClass(v); c != "" {
		return c
	}
	m := sz.fe.M
	if isNil, known := rec.conds.Value(model.BinKey{Op: token.EQL, X: model.OperandKey(m, v), Y: model.NilKey}); known {
		if isNil {
			return "nil"
		}
		return "nonnil"
	}
	if b, known := rec.conds.Value(model.OperandKey(m, v)); known {
		return strconv.FormatBool(b)
	}
	return ""
}
