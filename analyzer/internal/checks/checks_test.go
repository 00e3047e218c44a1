package checks

import (
	"go/token"
	"go/types"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/ssa"

	"github.com/lifecyclecheck/lifecyclecheck/analyzer/internal/facts"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// conn builds a package with a type Conn, a constructor NewConn() *Conn
// and, if withClose, a method (*Conn).Close.
func conn(t *testing.T, withClose bool) (ctor *types.Func, closeOf func(*types.Named) *types.Func) {
	t.Helper()
	pkg := types.NewPackage("example.com/reg", "reg")
	obj := types.NewTypeName(token.NoPos, pkg, "Conn", nil)
	named := types.NewNamed(obj, types.NewStruct(nil, nil), nil)
	ptr := types.NewPointer(named)
	var closeFn *types.Func
	if withClose {
		recv := types.NewVar(token.NoPos, pkg, "c", ptr)
		closeFn = types.NewFunc(token.NoPos, pkg, "Close", types.NewSignatureType(recv, nil, nil, nil, nil, false))
		named.AddMethod(closeFn)
	}
	res := types.NewTuple(types.NewVar(token.NoPos, pkg, "", ptr))
	ctor = types.NewFunc(token.NoPos, pkg, "NewConn", types.NewSignatureType(nil, nil, nil, nil, res, false))
	return ctor, func(n *types.Named) *types.Func {
		if n == named {
			return closeFn
		}
		return nil
	}
}

var conns = facts.IndexID{Kind: facts.GlobalIndex, Name: "example.com/reg.conns"}

func registers() *facts.Summary {
	return &facts.Summary{Effects: []facts.Effect{{Op: rules.Insert, Object: facts.Operand{Base: facts.ResultOperand}, Index: conns}}}
}

func noResultTypes(int) []*types.Named { return nil }

type collected []Registration

func (c *collected) Unregister(reg Registration, _ *ssa.Return) { *c = append(*c, reg) }

func TestRegisteredNeedsACloseMethod(t *testing.T) {
	ctor, closeOf := conn(t, false)
	assert.Empty(t, Registered(ctor, registers(), noResultTypes, closeOf), "a type without a close method is not checked")
	ctor, closeOf = conn(t, true)
	regs := Registered(ctor, registers(), noResultTypes, closeOf)
	require.Len(t, regs, 1)
	assert.Equal(t, "Close", regs[0].Close.Name())
	assert.Equal(t, conns, regs[0].Insert.Index)
}

func TestUnregisterJudgesTheCloseMethod(t *testing.T) {
	ctor, closeOf := conn(t, true)
	never := func(facts.IndexID, types.Type) bool { return false }
	for name, tc := range map[string]struct {
		close       *facts.Summary
		deletedFrom func(facts.IndexID, types.Type) bool
		reported    bool
	}{
		"Close does nothing":               {nil, never, true},
		"Close deletes the receiver":       {&facts.Summary{Effects: []facts.Effect{{Op: rules.Delete, Object: facts.Operand{Base: facts.ParamOperand}, Index: conns}}}, never, false},
		"Close deletes by key":             {&facts.Summary{Effects: []facts.Effect{{Op: rules.Delete, Index: conns}}}, never, false},
		"Close deletes from another index": {&facts.Summary{Effects: []facts.Effect{{Op: rules.Delete, Index: facts.IndexID{Kind: facts.GlobalIndex, Name: "example.com/reg.other"}}}}, never, true},
		"another function deletes it":      {nil, func(id facts.IndexID, t types.Type) bool { return id == conns && t.String() == "*example.com/reg.Conn" }, false},
		"another function deletes others":  {nil, func(id facts.IndexID, t types.Type) bool { return id == conns && t.String() != "*example.com/reg.Conn" }, true},
	} {
		t.Run(name, func(t *testing.T) {
			regs := Registered(ctor, registers(), noResultTypes, closeOf)
			regs[0].Sum = tc.close
			var got collected
			Unregister(regs, tc.deletedFrom, &got)
			assert.Equal(t, tc.reported, len(got) == 1)
		})
	}
}

func TestSkippingReturns(t *testing.T) {
	ret := &ssa.Return{}
	reg := Registration{Insert: facts.Effect{Index: conns}}
	reg.Exits = []CloseExit{{Ret: ret, Closed: true}}
	assert.Same(t, ret, skipping(reg), "closes something, deletes nothing")
	reg.Exits = []CloseExit{{Ret: ret, Closed: true, Guarded: true}}
	assert.Nil(t, skipping(reg), "an idempotent close's early return")
	reg.Exits = []CloseExit{{Ret: ret, Closed: false}}
	assert.Nil(t, skipping(reg), "closes nothing: no sign of an end")
	reg.Exits = []CloseExit{{Ret: ret, Closed: true, Deleted: []facts.IndexID{conns}}}
	assert.Nil(t, skipping(reg), "deletes on that path")
}

func TestMaximalGroups(t *testing.T) {
	id := func(n string) facts.IndexID {
		return facts.IndexID{Kind: facts.FieldIndex, Name: "example.com/hub.Hub." + n}
	}
	two := Evidence{Group: facts.Group{Indexes: []facts.IndexID{id("a"), id("b")}}}
	three := Evidence{Group: facts.Group{Indexes: []facts.IndexID{id("a"), id("b"), id("c")}}}
	other := Evidence{Group: facts.Group{Indexes: []facts.IndexID{id("c"), id("d")}}}
	got := maximal([]Evidence{two, three, other})
	require.Len(t, got, 2)
	assert.Equal(t, three.key(), got[0].key(), "a group inside another is a deviation from it, no rule")
	assert.Equal(t, other.key(), got[1].key())
}

// A factory returning an interface registers the concrete types it
// returns in it: those are the types whose close methods are judged.
func TestRegisteredThroughAnInterface(t *testing.T) {
	ctor, closeOf := conn(t, true)
	named := ctor.Signature().Results().At(0).Type().(*types.Pointer).Elem().(*types.Named)
	iface := types.NewInterfaceType(nil, nil)
	res := types.NewTuple(types.NewVar(token.NoPos, ctor.Pkg(), "", iface))
	factory := types.NewFunc(token.NoPos, ctor.Pkg(), "Open", types.NewSignatureType(nil, nil, nil, nil, res, false))
	assert.Empty(t, Registered(factory, registers(), noResultTypes, closeOf), "no concrete type known")
	regs := Registered(factory, registers(), func(int) []*types.Named { return []*types.Named{named} }, closeOf)
	require.Len(t, regs, 1)
	assert.Same(t, named, regs[0].Type)
}
