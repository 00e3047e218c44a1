package facts

import (
	"bytes"
	"encoding/gob"
	"go/token"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

func sampleSummary() *Summary {
	idx := IndexID{Kind: GlobalIndex, Name: "example.com/proxy.proxyByName"}
	s := &Summary{Effects: []Effect{
		{Op: rules.Insert, Object: Operand{Base: ResultOperand, Pos: 0, Path: "|example.com/proxy.Resolvers.px"}, Index: idx,
			Node: "|example.com/proxy.Proxy.byName", NodeType: "example.com/proxy.NameNode", Guard: &Guard{Result: 1, Nil: true, Value: true},
			Steps: []Step{{Func: "allocNewProxy", Where: "proxy.go:40", pos: token.Pos(99)}, {Func: "setupNewProxy", Where: "proxy.go:20"}}},
		{Op: rules.Free, Object: Operand{Base: ParamOperand, Pos: 1},
			Before: []Effect{{Op: rules.Delete, Object: Operand{Base: ParamOperand, Pos: 1}}},
			Steps:  []Step{{Func: "pool.Put", Where: "proxy.go:70"}}},
		{Op: rules.Delete, Index: IndexID{Kind: ParamIndex, Pos: 2}},
	}}
	s.Normalize()
	return s
}

func TestSummaryGobRoundTrip(t *testing.T) {
	want := sampleSummary()
	var buf bytes.Buffer
	require.NoError(t, gob.NewEncoder(&buf).Encode(want))
	var got Summary
	require.NoError(t, gob.NewDecoder(&buf).Decode(&got))
	assert.Equal(t, want.String(), got.String())
	require.Len(t, got.Effects, len(want.Effects))
	for i := range want.Effects {
		assert.Equal(t, want.Effects[i].Object, got.Effects[i].Object)
		assert.Equal(t, want.Effects[i].Index, got.Effects[i].Index)
		assert.Equal(t, want.Effects[i].Node, got.Effects[i].Node)
		assert.Equal(t, want.Effects[i].NodeType, got.Effects[i].NodeType)
		assert.Equal(t, want.Effects[i].Guard, got.Effects[i].Guard)
		assert.Equal(t, len(want.Effects[i].Steps), len(got.Effects[i].Steps))
		for j, s := range got.Effects[i].Steps {
			assert.Equal(t, want.Effects[i].Steps[j].Func, s.Func)
			assert.Equal(t, want.Effects[i].Steps[j].Where, s.Where)
			assert.Equal(t, token.NoPos, s.pos, "positions do not cross processes")
		}
	}
}

func TestSummaryEncodingIsDeterministicAndSmall(t *testing.T) {
	encode := func() []byte {
		var buf bytes.Buffer
		require.NoError(t, gob.NewEncoder(&buf).Encode(sampleSummary()))
		return buf.Bytes()
	}
	a, b := encode(), encode()
	assert.Equal(t, a, b)
	// A summary of a few effects must stay well under a kilobyte: facts of
	// every function travel to every importing package. They travel in
	// one gob stream per package, which describes the types once: what
	// counts is what one more summary adds to it.
	var one, two bytes.Buffer
	require.NoError(t, gob.NewEncoder(&one).Encode([]*Summary{sampleSummary()}))
	require.NoError(t, gob.NewEncoder(&two).Encode([]*Summary{sampleSummary(), sampleSummary()}))
	each := two.Len() - one.Len()
	assert.Less(t, each, 512, "one more summary adds %d bytes", each)
	assert.Less(t, len(a), 1280, "a stream of one summary is %d bytes", len(a))
}

func TestNormalizeOrdersFreesFirstAndDedupes(t *testing.T) {
	s := &Summary{Effects: []Effect{
		{Op: rules.Insert, Object: Operand{Base: ParamOperand}, Index: IndexID{Kind: GlobalIndex, Name: "p.m"}},
		{Op: rules.Delete, Index: IndexID{Kind: GlobalIndex, Name: "p.m"}},
		{Op: rules.Free, Object: Operand{Base: ParamOperand}},
		{Op: rules.Delete, Index: IndexID{Kind: GlobalIndex, Name: "p.m"}},
	}}
	s.Normalize()
	assert.Equal(t, "lifecycle(free p0; delete _ from m; insert p0 into m)", s.String())
}

func TestIndexNames(t *testing.T) {
	assert.Equal(t, "proxyByName", IndexID{Kind: GlobalIndex, Name: "example.com/a/proxy.proxyByName"}.String())
	assert.Equal(t, "Registry.byName", IndexID{Kind: FieldIndex, Name: "example.com/a.b/reg.Registry.byName"}.String())
	assert.Equal(t, "p2", IndexID{Kind: ParamIndex, Pos: 2}.String())
	assert.Equal(t, ".name.next[]", PathSuffix("|example.com/x.T.name|*|example.com/x.T.next|[]"))
}

// The evidence of the partial check travels in summaries: groups, and the
// key operand of deletes by key. Both survive encoding, and a summary that
// carries a group of three indexes stays small and encodes the same way
// each time.
func TestEvidenceInSummaries(t *testing.T) {
	hub := func(f string) IndexID { return IndexID{Kind: FieldIndex, Name: "example.com/chat/hub.Hub." + f} }
	by := Operand{Base: ParamOperand, Pos: 1, Path: "|example.com/chat/hub.Session.id"}
	want := &Summary{
		Effects: []Effect{
			{Op: rules.Delete, Index: hub("byID"), By: &by},
			{Op: rules.Delete, Index: hub("byUser"), By: &by},
			{Op: rules.Delete, Index: hub("sessions"), Object: Operand{Base: ParamOperand, Pos: 1}},
		},
		Groups: []Group{{Object: Operand{Base: ParamOperand, Pos: 1}, Indexes: []IndexID{hub("byID"), hub("byUser"), hub("sessions")}, Where: "hub.go:40"}},
	}
	want.Normalize()
	encode := func() []byte {
		var buf bytes.Buffer
		require.NoError(t, gob.NewEncoder(&buf).Encode(want))
		return buf.Bytes()
	}
	a, b := encode(), encode()
	assert.Equal(t, a, b)
	// gob writes the types once per stream (the framework encodes a
	// package's facts in one); what the group itself costs is measured
	// against the same summary without it.
	groups := want.Groups
	want.Groups = nil
	without := encode()
	want.Groups = groups
	assert.Less(t, len(a)-len(without), 320, "a group of three indexes costs %d bytes", len(a)-len(without))
	assert.Less(t, len(a), 1280, "encoded summary is %d bytes", len(a))
	var got Summary
	require.NoError(t, gob.NewDecoder(bytes.NewReader(a)).Decode(&got))
	assert.Equal(t, want.Groups, got.Groups)
	assert.Equal(t, want.String(), got.String())
	assert.Contains(t, got.String(), "group p1 from Hub.byID, Hub.byUser, Hub.sessions")
	for i := range want.Effects {
		assert.Equal(t, want.Effects[i].By, got.Effects[i].By)
	}
}

func TestIndexPackage(t *testing.T) {
	for name, pkg := range map[string]string{
		"context.cancelCtx.children":             "context",
		"net/http.Server.activeConn":             "net/http",
		"example.com/chat/hub.Hub.byID":          "example.com/chat/hub",
		"github.com/redis/go-redis/v9.Manager.m": "github.com/redis/go-redis/v9",
	} {
		assert.Equal(t, pkg, IndexID{Kind: FieldIndex, Name: name}.Package(), name)
	}
}
