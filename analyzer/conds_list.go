package analyzer

import (
	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
)

// condList is an immutable list of the branch conditions known on a
// state's paths, newest first. States share tails, so taking a branch
// costs one cell, not a copy.
type condList struct {
	c    model.Cond
	next *condList
	n    int
}

func (l *condList) len() int {
	if l == nil {
		return 0
	}
	return l.n
}

// push returns l with c in front, keeping at most maxConds conditions.
func (l *condList) push(c model.Cond) *condList {
	if l.len() >= maxConds {
		l = l.keep(func(model.Cond) bool { return true }, maxConds-1)
	}
	return &condList{c: c, next: l, n: l.len() + 1}
}

// value returns what is known of the condition key.
func (l *condList) value(key any) (val, known bool) {
	for ; l != nil; l = l.next {
		if l.c.Key == key {
			return l.c.Val, true
		}
	}
	return false, false
}

// all reports whether every condition satisfies f.
func (l *condList) all(f func(model.Cond) bool) bool {
	for ; l != nil; l = l.next {
		if !f(l.c) {
			return false
		}
	}
	return true
}

// keep returns the first limit conditions of l that satisfy f, in order,
// sharing l's cells when nothing is dropped.
func (l *condList) keep(f func(model.Cond) bool, limit int) *condList {
	if l.len() <= limit && l.all(f) {
		return l
	}
	var kept []model.Cond
	for ; l != nil && len(kept) < limit; l = l.next {
		if f(l.c) {
			kept = append(kept, l.c)
		}
	}
	var out *condList
	for i := len(kept) - 1; i >= 0; i-- {
		out = &condList{c: kept[i], next: out, n: out.len() + 1}
	}
	return out
}

// forgetDominated drops the conditions decided in blocks that b dominates.
func (l *condList) forgetDominated(b *ssa.BasicBlock) *condList {
	return l.keep(func(c model.Cond) bool { return !b.Dominates(c.At) }, maxConds)
}
