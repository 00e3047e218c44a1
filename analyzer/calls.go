package analyzer

import (
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// callSite is a call seen from the caller: the callee and its actual
// arguments by position (0 is the receiver of a method).
type callSite struct {
	common   *ssa.CallCommon
	callee   *ssa.Function // nil for dynamic calls
	acts     []ssa.Value
	bindings []ssa.Value // a closure's captured variables
	result   *ssa.Call   // nil for defer and go
	pos      token.Pos   // where the operation is reported
	bound    bool        // a method value: acts[0] is the bound receiver
}

func newCallSite(c *ssa.CallCommon, instr ssa.Instruction, pos token.Pos) callSite {
	cs := callSite{common: c, pos: pos}
	if call, ok := instr.(*ssa.Call); ok {
		cs.result = call
	}
	if c.IsInvoke() {
		cs.acts = append([]ssa.Value{c.Value}, c.Args...)
		return cs
	}
	switch v := c.Value.(type) {
	case *ssa.Function:
		cs.callee = v
	case *ssa.MakeClosure:
		cs.callee, _ = v.Fn.(*ssa.Function)
		cs.bindings = v.Bindings
	}
	cs.acts = c.Args
	if cs.callee != nil && strings.HasPrefix(cs.callee.Synthetic, "bound method wrapper") && len(cs.bindings) == 1 {
		cs.acts = append([]ssa.Value{cs.bindings[0]}, c.Args...)
		cs.bindings = nil
		cs.bound = true
	}
	return cs
}

// fullName is the name rules are keyed by: types.Func.FullName of the
// generic origin.
func (cs callSite) fullName() string {
	if cs.common.IsInvoke() {
		return cs.common.Method.FullName()
	}
	if f := cs.funcObject(); f != nil {
		return f.FullName()
	}
	return ""
}

// ruled returns the operations rules give the callee. Most calls are to
// packages without rules, which are told apart without formatting a name.
func (cs callSite) ruled(set *rules.Set) []rules.Op {
	var pkg *types.Package
	if cs.common.IsInvoke() {
		pkg = cs.common.Method.Pkg()
	} else if f := cs.funcObject(); f != nil {
		pkg = f.Pkg()
	}
	if pkg == nil || !set.HasPackage(pkg.Path()) {
		return nil
	}
	return set.Lookup(cs.fullName())
}

// funcName names the callee from types alone (witness steps need no
// syntax): Tree.Insert, deinitProxy, a func literal.
func (cs callSite) funcName() string {
	if cs.common.IsInvoke() {
		return cs.common.Method.Name()
	}
	if b, ok := cs.common.Value.(*ssa.Builtin); ok {
		return b.Name()
	}
	f := cs.funcObject()
	if f == nil {
		return "a func literal"
	}
	if recv := f.Signature().Recv(); recv != nil {
		t := recv.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			return n.Obj().Name() + "." + f.Name()
		}
	}
	return f.Name()
}

func (cs callSite) funcObject() *types.Func {
	if cs.callee == nil {
		return nil
	}
	f, _ := cs.callee.Object().(*types.Func)
	if f != nil {
		f = f.Origin()
	}
	return f
}

// callEvents returns what a call does: what the callee's body does (its
// summary, or the concrete method's where an interface call's receiver
// has a known type), then what rules and directives declare of it, then
// the built-in close of an object's own Close, Shutdown or Stop method.
// Declared operations add to the body; only the standard library's
// built-in operations replace it.
func (fe *fnEvents) callEvents(c *ssa.CallCommon, instr ssa.Instruction, pos token.Pos) []event {
	if b, ok := c.Value.(*ssa.Builtin); ok {
		return fe.builtinEvents(b, c, pos)
	}
	cs := newCallSite(c, instr, pos)
	ops := cs.ruled(fe.env.cfg.Rules)
	if ops != nil && rules.IsBuiltin(cs.fullName()) {
		return fe.opEvents(cs, ops)
	}
	var evs []event
	if s := fe.env.summaryOf(cs); s != nil {
		evs = fe.summaryEvents(cs, s)
	} else if s := fe.concreteSummary(cs); s != nil {
		evs = fe.summaryEvents(cs, s)
	}
	if ops != nil {
		evs = append(evs, fe.opEvents(cs, ops)...)
	}
	if ev, ok := fe.ownClose(cs); ok {
		evs = append(evs, ev)
	}
	if ev, ok := fe.cleanupField(cs); ok {
		evs = append(evs, ev)
	}
	return evs
}

func (fe *fnEvents) builtinEvents(b *ssa.Builtin, c *ssa.CallCommon, pos token.Pos) []event {
	if b.Name() == "close" {
		return fe.closeChan(c, pos)
	}
	if (b.Name() != "delete" && b.Name() != "clear") || !fe.env.cfg.Rules.MapKind() {
		return nil
	}
	if _, isMap := c.Args[0].Type().Underlying().(*types.Map); !isMap {
		return nil
	}
	id, ok := fe.m.indexOf(c.Args[0])
	if !ok {
		return nil
	}
	// A delete by key counts for every object of the map: the checker
	// stays silent rather than guess which entry the key names.
	return []event{{kind: rules.Delete, idx: fe.index(id), pos: pos}}
}

// opEvents applies operations declared by a rule, a directive or a
// built-in kind.
func (fe *fnEvents) opEvents(cs callSite, ops []rules.Op) []event {
	keyPos, replaces, keyed := fe.env.cfg.Rules.Keyed(cs.fullName())
	var evs []event
	for _, op := range ops {
		ev, ok := fe.opEvent(cs, op)
		if !ok {
			continue
		}
		if keyed && keyPos < len(cs.acts) {
			ev.key = fe.keyIdentity(cs.acts[keyPos])
			// Only the call's first insert replaces: the next ones add to it.
			ev.replace = replaces && ev.kind == rules.Insert && !hasInsert(evs)
		}
		evs = append(evs, ev)
	}
	return evs
}

func hasInsert(evs []event) bool {
	for _, ev := range evs {
		if ev.kind == rules.Insert {
			return true
		}
	}
	return false
}

func (fe *fnEvents) opEvent(cs callSite, op rules.Op) (event, bool) {
	ev := event{kind: op.Kind, pos: cs.pos, idx: anyIndex, cs: &cs, argPos: -1}
	if op.Index != rules.Any {
		if op.Index >= len(cs.acts) {
			return ev, false
		}
		id, ok := fe.m.indexOf(cs.acts[op.Index])
		if !ok {
			return ev, false
		}
		ev.idx = fe.index(id)
	}
	switch {
	case op.Kind == rules.Read:
		ev.objs = fe.resultObjects(cs, op.Object, "")
	case op.Object != rules.Any:
		if op.Object >= len(cs.acts) {
			return ev, false
		}
		ev.objs = fe.m.objects(cs.acts[op.Object])
		ev.argPos = op.Object
		if op.Kind == rules.Insert {
			ev.node, ev.nodeType = nodePath(cs.acts[op.Object])
		}
		if op.Kind == rules.Insert {
			ev.fix = &fixSource{cs: &cs}
		}
	}
	if ev.objs == nil && op.Object != rules.Any {
		return ev, false // nothing that can hold an object
	}
	return ev, true
}

func (fe *fnEvents) resultObjects(cs callSite, i int, path string) []int {
	if cs.result == nil {
		return nil
	}
	var base []int
	if t, ok := cs.result.Type().(*types.Tuple); ok {
		if i >= t.Len() || !isRef(t.At(i).Type()) {
			return nil
		}
		base = []int{fe.m.objs.id(objKey{root: cs.result, path: "|#" + itoa(i)})}
	} else {
		if i != 0 || !isRef(cs.result.Type()) {
			return nil
		}
		base = fe.m.rawObjects(cs.result)
	}
	return fe.m.expand(fe.extendPath(base, path))
}

func (fe *fnEvents) extendPath(base []int, path string) []int {
	for _, step := range splitPath(path) {
		base = fe.m.extend(base, step)
	}
	return base
}

// summaryEvents applies a callee's summary at the call, substituting
// actuals: frees first (each after the deletes its callee does before it),
// then deletes, then inserts.
func (fe *fnEvents) summaryEvents(cs callSite, s *Summary) []event {
	var evs []event
	for _, e := range s.Effects {
		ev, ok := fe.effectEvent(&cs, e)
		if ok {
			evs = append(evs, ev)
		}
	}
	return evs
}

func (fe *fnEvents) effectEvent(cs *callSite, e Effect) (event, bool) {
	ev := event{kind: e.Op, pos: cs.pos, idx: anyIndex, cs: cs, argPos: -1,
		operand: e.Object, calleeSteps: e.Steps, learned: true, node: e.Node, nodeType: e.NodeType, mapKey: e.MapKey, keyed: e.Keyed,
		locked: e.Locked}
	if e.Key != nil {
		key, ok := fe.operandKeyAt(*cs, *e.Key)
		if !ok {
			return ev, false
		}
		ev.key, ev.byKey = key, true
	}
	if e.Index.Kind != 0 {
		id, ok := fe.substIndex(*cs, e.Index)
		if !ok {
			return ev, false
		}
		ev.idx = fe.index(id)
	}
	if e.Object.Base != AnyObject {
		ev.objs = fe.operandObjects(*cs, e.Object)
		if len(ev.objs) == 0 {
			return ev, false
		}
		if e.Ident {
			ev.objs, ev.identObjs = nil, ev.objs
		}
		if g := e.Guard; g != nil && g.Param > 0 {
			key, holds, known := fe.paramGuardAt(*cs, g)
			switch {
			case known && !holds:
				return ev, false // the argument rules the insert out
			case !known && key != nil:
				ev.guard = &cond{key: key, val: g.Value}
			}
		} else if g != nil && cs.result != nil {
			if key, ok := guardKey(fe.m, cs.result, g); ok {
				ev.guard = &cond{key: key, val: g.Value}
			}
		}
		if e.Op == rules.Insert && ev.node == "" && e.Object.Base == ParamOperand && e.Object.Path == "" && e.Object.Pos < len(cs.acts) {
			ev.node, ev.nodeType = nodePath(cs.acts[e.Object.Pos]) // a declared insert of &p.node
		}
	}
	for _, b := range e.Before {
		if d, ok := fe.effectEvent(cs, b); ok {
			ev.before = append(ev.before, d)
		}
	}
	return ev, true
}

func (fe *fnEvents) operandObjects(cs callSite, o Operand) []int {
	var base []ssa.Value
	switch o.Base {
	case ParamOperand:
		base = cs.acts
	case FreeVarOperand:
		base = cs.bindings
	case ResultOperand:
		return fe.resultObjects(cs, o.Pos, o.Path)
	}
	if o.Pos < 0 || o.Pos >= len(base) {
		return nil
	}
	if o.Path == "" && o.Base == ParamOperand {
		return fe.m.objects(base[o.Pos]) // a generic callee's T may be an int here
	}
	return fe.m.expand(fe.extendPath(fe.m.rawObjects(base[o.Pos]), o.Path))
}

func (fe *fnEvents) operandName(cs callSite, o Operand) string {
	switch o.Base {
	case ParamOperand:
		return fe.argText(cs, o.Pos) + pathSuffix(o.Path)
	case ResultOperand:
		return "the result of " + fe.env.src.callName(cs.common) + pathSuffix(o.Path)
	case FreeVarOperand:
		if cs.callee != nil && o.Pos < len(cs.callee.FreeVars) {
			return cs.callee.FreeVars[o.Pos].Name() + pathSuffix(o.Path)
		}
	}
	return "a captured variable" + pathSuffix(o.Path)
}

// argText returns the actual at position pos as written.
func (fe *fnEvents) argText(cs callSite, pos int) string {
	if cs.bound {
		if pos == 0 {
			return "the receiver of " + fe.env.src.callName(cs.common)
		}
		pos-- // the call's syntax has no receiver
	}
	return fe.env.src.argText(cs.common, pos)
}

// substIndex maps a callee's index to the caller's.
func (fe *fnEvents) substIndex(cs callSite, id IndexID) (IndexID, bool) {
	switch id.Kind {
	case ParamIndex:
		if id.Pos < len(cs.acts) {
			return fe.m.indexOf(cs.acts[id.Pos])
		}
		return IndexID{}, false
	case FreeVarIndex:
		if id.Pos < len(cs.bindings) {
			return fe.m.indexFromObjects(fe.m.extend(fe.m.rawObjects(cs.bindings[id.Pos]), stepDeref))
		}
		return IndexID{}, false
	case LocalIndex:
		return IndexID{}, false
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
	fa, ok := strip(v).(*ssa.FieldAddr)
	if !ok {
		return "", ""
	}
	nodeType = types.TypeString(fa.Type().(*types.Pointer).Elem(), nil)
	var steps []string
	for ok {
		steps = append([]string{fieldName(fa.X, fa.Field)}, steps...)
		fa, ok = strip(fa.X).(*ssa.FieldAddr)
	}
	return "|" + strings.Join(steps, "|"), nodeType
}

// paramGuardAt applies a callee's parameter guard at a call: with a
// constant argument it is decided here (known, holds); otherwise it becomes
// a condition on the argument, as the caller's branches would key it.
func (fe *fnEvents) paramGuardAt(cs callSite, g *Guard) (key any, holds, known bool) {
	if g.Param-1 >= len(cs.acts) {
		return nil, false, false
	}
	arg := strip(cs.acts[g.Param-1])
	c, isConst := arg.(*ssa.Const)
	if g.Op == 0 {
		if isConst && c.Value != nil && c.Value.Kind() == constant.Bool {
			return nil, constant.BoolVal(c.Value) == g.Value, true
		}
		return operandKey(fe.m, arg), false, false
	}
	k := constKey{g.Const, g.ConstKind}
	if isConst && c.Value != nil {
		x, y := c.Value, k.value()
		if g.ConstLeft {
			x, y = y, x
		}
		if x.Kind() != constant.Unknown && y.Kind() != constant.Unknown {
			return nil, constant.Compare(x, g.Op, y) == g.Value, true
		}
	}
	if g.ConstLeft {
		return binKey{g.Op, k, operandKey(fe.m, arg)}, false, false
	}
	return binKey{g.Op, operandKey(fe.m, arg), k}, false, false
}
