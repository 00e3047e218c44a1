package events

import (
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/model"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// callEvents returns what a call does: what the callee's body does (its
// summary, or the concrete method's where an interface call's receiver
// has a known type), then what rules and directives declare of it, then
// the built-in close of an object's own Close, Shutdown or Stop method.
// Declared operations add to the body; only the standard library's
// built-in operations replace it.
func (fe *FnEvents) callEvents(c *ssa.CallCommon, instr ssa.Instruction, pos token.Pos) []Event {
	if b, ok := c.Value.(*ssa.Builtin); ok {
		return fe.builtinEvents(b, c, pos)
	}
	if f := RunArgument(c); f != nil {
		return fe.callEvents(&ssa.CallCommon{Value: f}, instr, pos)
	}
	cs := NewCallSite(c, instr, pos)
	ops := cs.ruled(fe.rules)
	if ops != nil && rules.IsBuiltin(cs.FullName()) {
		return fe.opEvents(cs, ops)
	}
	var evs []Event
	s := calleeSummary(fe.pass, cs)
	if s != nil {
		evs = fe.summaryEvents(cs, s)
	}
	if ops != nil {
		evs = append(overridden(evs, ops), fe.opEvents(cs, ops)...)
	}
	if ev, ok := fe.ownClose(cs); ok {
		evs = append(evs, ev)
	}
	if ev, ok := fe.cleanupField(cs); ok {
		evs = append(evs, ev)
	}
	for _, f := range runFuncs(s, cs) {
		ran := fe.callEvents(&ssa.CallCommon{Value: f}, instr, pos)
		for i := range ran {
			ran[i].Ran = true
			ran[i].Guard = nil // a condition on its result, which the caller does not see
		}
		evs = append(ran, evs...) // it runs inside the call
	}
	return evs
}

// overridden drops what a callee's summary learned that a rule or
// directive contradicts: the user's word replaces what was learned. A
// keep drops the ends of life learned for that object (a NotifyClose that
// closes its argument only on a connection already shut down, declared
// op: keep, closes nothing); a none drops everything learned of it and of
// what it holds (its inserts, deletes, frees and closes).
func overridden(evs []Event, ops []rules.Op) []Event {
	for _, op := range ops {
		if op.Object == rules.Any || (op.Kind != rules.Keep && op.Kind != rules.None) {
			continue
		}
		evs = slices.DeleteFunc(evs, func(ev Event) bool {
			o := ev.operand
			if !ev.Learned || o.Base != facts.ParamOperand || o.Pos != op.Object {
				return false
			}
			if op.Kind == rules.None {
				return true
			}
			return (ev.Kind == rules.Close || ev.Kind == rules.Free) && o.Path == ""
		})
	}
	return evs
}

// RunArgument returns the function argument a call of the standard
// library runs before it returns (once.Do(f) runs f), or nil: the call
// does what that function does.
func RunArgument(c *ssa.CallCommon) ssa.Value {
	callee := c.StaticCallee()
	if callee == nil || callee.Object() == nil || callee.Object().Pkg() == nil || !rules.RunsNowIn(callee.Object().Pkg().Path()) {
		return nil // most calls: no full name formatted
	}
	f, ok := callee.Object().(*types.Func)
	if !ok {
		return nil
	}
	pos, ok := rules.RunsNow(f.FullName())
	if !ok || pos >= len(c.Args) {
		return nil
	}
	switch v := c.Args[pos].(type) { // a static call's Args has the receiver first
	case *ssa.MakeClosure, *ssa.Function:
		return v
	}
	return nil
}

func (fe *FnEvents) builtinEvents(b *ssa.Builtin, c *ssa.CallCommon, pos token.Pos) []Event {
	if b.Name() == "close" {
		return fe.closeChan(c, pos)
	}
	if (b.Name() != "delete" && b.Name() != "clear") || !fe.rules.MapKind() {
		return nil
	}
	if _, isMap := c.Args[0].Type().Underlying().(*types.Map); !isMap {
		return nil
	}
	id, ok := fe.M.IndexOf(c.Args[0])
	if !ok {
		return nil
	}
	// A delete by key counts for every object of the map: the checker
	// stays silent rather than guess which entry the key names.
	ev := Event{Kind: rules.Delete, Idx: fe.index(id), Pos: pos}
	if b.Name() == "delete" {
		ev.DelKey = c.Args[1]
	}
	return []Event{ev}
}

// opEvents applies operations declared by a rule, a directive or a
// built-in kind.
func (fe *FnEvents) opEvents(cs CallSite, ops []rules.Op) []Event {
	keyPos, replaces, keyed := fe.rules.Keyed(cs.FullName())
	var evs []Event
	for _, op := range ops {
		ev, ok := fe.opEvent(cs, op)
		if !ok {
			continue
		}
		if keyed && keyPos < len(cs.acts) {
			ev.Key = fe.keyIdentity(cs.acts[keyPos])
			// Only the call's first insert replaces: the next ones add to it.
			ev.Replace = replaces && ev.Kind == rules.Insert && !hasInsert(evs)
		}
		evs = append(evs, ev)
	}
	if hasInsert(evs) {
		for i := range evs {
			evs[i].Creates = evs[i].Kind == rules.Read
		}
	}
	return evs
}

func hasInsert(evs []Event) bool {
	for _, ev := range evs {
		if ev.Kind == rules.Insert {
			return true
		}
	}
	return false
}

func (fe *FnEvents) opEvent(cs CallSite, op rules.Op) (Event, bool) {
	ev := Event{Kind: op.Kind, Pos: cs.pos, Idx: AnyIndex, CS: &cs, argPos: -1}
	if op.Kind == rules.None {
		return ev, false // it only takes away what was learned
	}
	if op.Index != rules.Any {
		if op.Index >= len(cs.acts) {
			return ev, false
		}
		id, ok := fe.M.IndexOf(cs.acts[op.Index])
		if !ok {
			return ev, false
		}
		ev.Idx = fe.index(id)
	}
	switch {
	case op.Kind == rules.Read:
		ev.Objs = fe.resultObjects(cs, op.Object, "")
	case op.Object != rules.Any:
		if op.Object >= len(cs.acts) {
			return ev, false
		}
		ev.Objs = fe.M.Objects(cs.acts[op.Object])
		ev.argPos = op.Object
		if op.Kind == rules.Insert {
			ev.Node, ev.NodeType = nodePath(cs.acts[op.Object])
		}
		if op.Kind == rules.Insert {
			ev.Fix = &FixSource{CS: &cs}
		}
	}
	if ev.Objs == nil && op.Object != rules.Any {
		return ev, false // nothing that can hold an object
	}
	return ev, true
}

func (fe *FnEvents) resultObjects(cs CallSite, i int, path string) []int {
	if cs.result == nil {
		return nil
	}
	var base []int
	if t, ok := cs.result.Type().(*types.Tuple); ok {
		if i >= t.Len() || !model.IsRef(t.At(i).Type()) {
			return nil
		}
		base = []int{fe.M.Objs.ID(model.ObjKey{Root: cs.result, Path: "|#" + itoa(i)})}
	} else {
		if i != 0 || !model.IsRef(cs.result.Type()) {
			return nil
		}
		base = fe.M.RawObjects(cs.result)
	}
	return fe.M.Expand(fe.extendPath(base, path))
}

func (fe *FnEvents) extendPath(base []int, path string) []int {
	for _, step := range facts.SplitPath(path) {
		base = fe.M.Extend(base, step)
	}
	return base
}

// summaryEvents applies a callee's summary at the call, substituting
// actuals: frees first (each after the deletes its callee does before it),
// then deletes, then inserts.
func (fe *FnEvents) summaryEvents(cs CallSite, s *facts.Summary) []Event {
	var evs []Event
	for _, e := range s.Effects {
		ev, ok := fe.effectEvent(&cs, e)
		if !ok {
			continue
		}
		if e.Maybe {
			// A close on paths the caller cannot tell: no end of life it
			// can count on, nor the deletes of those paths.
			ev.Maybe, ev.Before = true, nil
		}
		evs = append(evs, ev)
	}
	return evs
}

func (fe *FnEvents) effectEvent(cs *CallSite, e facts.Effect) (Event, bool) {
	ev := Event{Kind: e.Op, Pos: cs.pos, Idx: AnyIndex, CS: cs, argPos: -1,
		operand: e.Object, calleeSteps: e.Steps, Learned: true, Node: e.Node, NodeType: e.NodeType, MapKey: e.MapKey, Keyed: e.Keyed,
		Locked: e.Locked, Found: e.Read, async: e.Async}
	if e.Key != nil {
		key, ok := fe.operandKeyAt(*cs, *e.Key)
		if !ok {
			return ev, false
		}
		ev.Key, ev.ByKey = key, true
	}
	if e.Index.Kind != 0 {
		id, ok := fe.substIndex(*cs, e.Index)
		if !ok {
			return ev, false
		}
		ev.Idx = fe.index(id)
	}
	if e.Op == rules.Delete && e.Object.Base == facts.AnyObject && e.By != nil &&
		e.By.Base == facts.ParamOperand && e.By.Path == "" && e.By.Pos < len(cs.acts) {
		ev.DelKey = cs.acts[e.By.Pos] // the key the callee deleted by, as this function passed it
	}
	if e.Op == rules.Delete && e.Guard != nil && e.Guard.Param > 0 {
		// A delete under a condition on a parameter: an argument that
		// fails it rules the delete out; any other applies it (when in
		// doubt, silent).
		if _, holds, known := fe.paramGuardAt(*cs, e.Guard); known && !holds {
			return ev, false
		}
		e.Guard = nil
	}
	if e.Object.Base != facts.AnyObject {
		ev.Objs = fe.operandObjects(*cs, e.Object)
		if (e.Op == rules.Close || e.Op == rules.Free) && fe.valuePart(*cs, e.Object) {
			// cs.bufPipe.CloseWithError(err) on a struct held by value in
			// cs ends that part, not cs, whatever &cs.bufPipe stands for.
			return ev, false
		}
		if len(ev.Objs) == 0 {
			return ev, false
		}
		if e.Ident {
			ev.Objs, ev.IdentObjs = nil, ev.Objs
		}
		if g := e.Guard; g != nil && g.Param > 0 {
			key, holds, known := fe.paramGuardAt(*cs, g)
			switch {
			case known && !holds:
				return ev, false // the argument rules the insert out
			case !known && key != nil:
				ev.Guard = &model.Cond{Key: key, Val: g.Value}
			}
		} else if g != nil && cs.result != nil {
			if key, ok := model.GuardKey(fe.M, cs.result, g); ok {
				ev.Guard = &model.Cond{Key: key, Val: g.Value}
			}
		}
		if e.Op == rules.Insert && ev.Node == "" && e.Object.Base == facts.ParamOperand && e.Object.Path == "" && e.Object.Pos < len(cs.acts) {
			ev.Node, ev.NodeType = nodePath(cs.acts[e.Object.Pos]) // a declared insert of &p.node
		}
	}
	for _, b := range e.Before {
		if d, ok := fe.effectEvent(cs, b); ok {
			ev.Before = append(ev.Before, d)
		}
	}
	return ev, true
}

func (fe *FnEvents) operandObjects(cs CallSite, o facts.Operand) []int {
	var base []ssa.Value
	switch o.Base {
	case facts.ParamOperand:
		base = cs.acts
	case facts.FreeVarOperand:
		base = cs.bindings
	case facts.ResultOperand:
		return fe.resultObjects(cs, o.Pos, o.Path)
	}
	if o.Pos < 0 || o.Pos >= len(base) {
		return nil
	}
	if o.Path == "" && o.Base == facts.ParamOperand {
		return fe.M.Objects(base[o.Pos]) // a generic callee's T may be an int here
	}
	return fe.M.Expand(fe.extendPath(fe.M.RawObjects(base[o.Pos]), o.Path))
}

// valuePart reports whether operand o of a call is the address of a
// struct field held by value (&cs.bufPipe): a part of its owner, which
// the model names by the owner.
func (fe *FnEvents) valuePart(cs CallSite, o facts.Operand) bool {
	if o.Base != facts.ParamOperand || o.Path != "" || o.Pos < 0 || o.Pos >= len(cs.acts) {
		return false
	}
	fa, ok := model.Strip(cs.acts[o.Pos]).(*ssa.FieldAddr)
	if !ok {
		return false
	}
	_, isStruct := fa.Type().Underlying().(*types.Pointer).Elem().Underlying().(*types.Struct)
	return isStruct
}

func (fe *FnEvents) operandName(cs CallSite, o facts.Operand) string {
	switch o.Base {
	case facts.ParamOperand:
		return fe.argText(cs, o.Pos) + facts.PathSuffix(o.Path)
	case facts.ResultOperand:
		return "the result of " + fe.pass.CallName(cs.Common) + facts.PathSuffix(o.Path)
	case facts.FreeVarOperand:
		if cs.Callee != nil && o.Pos < len(cs.Callee.FreeVars) {
			return cs.Callee.FreeVars[o.Pos].Name() + facts.PathSuffix(o.Path)
		}
	}
	return "a captured variable" + facts.PathSuffix(o.Path)
}

// argText returns the actual at position pos as written.
func (fe *FnEvents) argText(cs CallSite, pos int) string {
	if cs.bound {
		if pos == 0 {
			return "the receiver of " + fe.pass.CallName(cs.Common)
		}
		pos-- // the call's syntax has no receiver
	}
	return fe.pass.ArgText(cs.Common, pos)
}

// substIndex maps a callee's index to the caller's.
func (fe *FnEvents) substIndex(cs CallSite, id facts.IndexID) (facts.IndexID, bool) {
	switch id.Kind {
	case facts.ParamIndex:
		if id.Pos < len(cs.acts) {
			return fe.M.IndexOf(cs.acts[id.Pos])
		}
		return facts.IndexID{}, false
	case facts.FreeVarIndex:
		if id.Pos < len(cs.bindings) {
			return fe.M.IndexFromObjects(fe.M.Extend(fe.M.RawObjects(cs.bindings[id.Pos]), facts.StepDeref))
		}
		return facts.IndexID{}, false
	case facts.LocalIndex:
		return facts.IndexID{}, false
	}
	return id, true
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// nodePath returns the fields from an object to the node v addresses
// (&p.conf.byName: conf then byName) and the node's type, or "" when v is
// not a field address.
func nodePath(v ssa.Value) (path, nodeType string) {
	fa, ok := model.Strip(v).(*ssa.FieldAddr)
	if !ok {
		return "", ""
	}
	nodeType = types.TypeString(fa.Type().(*types.Pointer).Elem(), nil)
	var steps []string
	for ok {
		steps = append([]string{model.FieldName(fa.X, fa.Field)}, steps...)
		fa, ok = model.Strip(fa.X).(*ssa.FieldAddr)
	}
	return "|" + strings.Join(steps, "|"), nodeType
}

// paramGuardAt applies a callee's parameter guard at a call: with a
// constant argument it is decided here (known, holds); otherwise it becomes
// a condition on the argument, as the caller's branches would key it.
func (fe *FnEvents) paramGuardAt(cs CallSite, g *facts.Guard) (key any, holds, known bool) {
	if g.Param-1 >= len(cs.acts) {
		return nil, false, false
	}
	arg := model.Strip(cs.acts[g.Param-1])
	c, isConst := arg.(*ssa.Const)
	if g.Op == 0 {
		if isConst && c.Value != nil && c.Value.Kind() == constant.Bool {
			return nil, constant.BoolVal(c.Value) == g.Value, true
		}
		return model.OperandKey(fe.M, arg), false, false
	}
	k := model.ConstKey{Exact: g.Const, Kind: g.ConstKind}
	if isConst && c.Value != nil {
		x, y := c.Value, k.Value()
		if g.ConstLeft {
			x, y = y, x
		}
		if x.Kind() != constant.Unknown && y.Kind() != constant.Unknown {
			return nil, constant.Compare(x, g.Op, y) == g.Value, true
		}
	}
	if g.ConstLeft {
		return model.BinKey{Op: g.Op, X: k, Y: model.OperandKey(fe.M, arg)}, false, false
	}
	return model.BinKey{Op: g.Op, X: model.OperandKey(fe.M, arg), Y: k}, false, false
}
