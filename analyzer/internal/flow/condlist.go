package flow

import (
	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
)

// CondList is an immutable list of the branch conditions known on a
// state's paths, newest first. States share tails, so taking a branch
// costs one cell, not a copy.
type CondList struct {
	Cond model.Cond // the newest condition
	Next *CondList  // the older ones
	n    int
}

func (l *CondList) len() int {
	if l == nil {
		return 0
	}
	return l.n
}

// push returns l with c in front, keeping at most maxConds conditions.
func (l *CondList) push(c model.Cond) *CondList {
	if l.len() >= maxConds {
		l = l.keep(func(model.Cond) bool { return true }, maxConds-1)
	}
	return &CondList{Cond: c, Next: l, n: l.len() + 1}
}

// Value returns what is known of the condition key.
func (l *CondList) Value(key any) (val, known bool) {
	for ; l != nil; l = l.Next {
		if l.Cond.Key == key {
			return l.Cond.Val, true
		}
	}
	return false, false
}

// all reports whether every condition satisfies f.
func (l *CondList) all(f func(model.Cond) bool) bool {
	for ; l != nil; l = l.Next {
		if !f(l.Cond) {
			return false
		}
	}
	return true
}

// keep returns the first limit conditions of l that satisfy f, in order,
// sharing l's cells when nothing is dropped.
func (l *CondList) keep(f func(model.Cond) bool, limit int) *CondList {
	if l.len() <= limit && l.all(f) {
		return l
	}
	var kept []model.Cond
	for ; l != nil && len(kept) < limit; l = l.Next {
		if f(l.Cond) {
			kept = append(kept, l.Cond)
		}
	}
	var out *CondList
	for i := len(kept) - 1; i >= 0; i-- {
		out = &CondList{Cond: kept[i], Next: out, n: out.len() + 1}
	}
	return out
}

// forgetDominated drops the conditions decided in blocks that b dominates.
func (l *CondList) forgetDominated(b *ssa.BasicBlock) *CondList {
	return l.keep(func(c model.Cond) bool { return !b.Dominates(c.At) }, maxConds)
}

// AnyBranch reports whether f accepts one of the branches the paths took:
// the If that ends the block a condition was learned at, and the way the
// paths went there. Conditions learned elsewhere (a callee's guard) are
// not branches and are skipped.
func (l *CondList) AnyBranch(f func(ifi *ssa.If, taken bool) bool) bool {
	for ; l != nil; l = l.Next {
		b := l.Cond.At
		if b == nil || len(b.Instrs) == 0 {
			continue
		}
		if ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok && f(ifi, l.Cond.Val) {
			return true
		}
	}
	return false
}
