package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStripPositions(t *testing.T) {
	t.Parallel()
	assert.Equal(t,
		"c freed by pool.Put while still in index byID (inserted at conns.go); delete it from byID first",
		stripPositions("c freed by pool.Put while still in index byID (inserted at conns.go:18); delete it from byID first"))
	assert.Equal(t, "at a.go and b.go, the other 2 failing returns", stripPositions("at a.go:3:7 and b.go:12, the other 2 failing returns"))
}

func TestFingerprintSurvivesLineMoves(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"conns/conns.go": connsGo})
	before := findingsIn(t, dir)
	require.Len(t, before, 1)
	assert.Equal(t, "Drop", before[0].diag.Function)
	assert.Equal(t, "conns/conns.go", before[0].file)

	// The same function, three lines further down.
	path := filepath.Join(dir, "conns", "conns.go")
	insertLine(t, path, before[0].diag.Posn.Line-5, "// one\n// two\n// three")
	after := findingsIn(t, dir)
	require.Len(t, after, 1)
	assert.Equal(t, before[0].diag.Posn.Line+3, after[0].diag.Posn.Line)
	assert.Equal(t, fingerprint(before[0]), fingerprint(after[0]))

	// An edit elsewhere in the function moves the insert the message names.
	insertLine(t, path, after[0].diag.Posn.Line-2, "\t_ = len(id)")
	edited := findingsIn(t, dir)
	require.Len(t, edited, 1)
	assert.NotEqual(t, after[0].diag.Message, edited[0].diag.Message)
	assert.Equal(t, fingerprint(before[0]), fingerprint(edited[0]))
}

func TestFingerprintDiffersByFunction(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{"conns/conns.go": connsGo + strings.ReplaceAll(leakGo, "Leak", "Evict")})
	fs := findingsIn(t, dir)
	require.Len(t, fs, 2)
	assert.Equal(t, []string{"Drop", "Evict"}, []string{fs[0].diag.Function, fs[1].diag.Function})
	assert.NotEqual(t, fingerprint(fs[0]), fingerprint(fs[1]))
}

func TestEnclosingFuncOfMethods(t *testing.T) {
	t.Parallel()
	src := connsGo + `
type Server[T any] struct{ conns map[string]*Conn }

// Kill frees c while s.conns holds it.
func (s *Server[T]) Kill(id string) {
	c := &Conn{ID: id}
	s.conns[id] = c
	release(c)
}
`
	fs := findingsIn(t, writeModule(t, map[string]string{"conns/conns.go": src}))
	require.Len(t, fs, 2)
	assert.Equal(t, "Server.Kill", fs[1].diag.Function)
}
