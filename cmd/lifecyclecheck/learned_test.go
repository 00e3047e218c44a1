package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lifecyclecheck/lifecyclecheck/config"
	"github.com/lifecyclecheck/lifecyclecheck/rules"
)

// hubGo has helpers of every kind -learned prints: an insert into a
// parameter, deletes (by key, declared, from a field), a free and a close,
// an insert into a field and one into a global, which no rule can name;
// and Leak, a finding, which -learned does not count.
const hubGo = `package hub

// Conn is a connection.
type Conn struct{ ID string }

// Close ends c.
func (c *Conn) Close() error { return nil }

// List is an intrusive list of conns.
type List struct{ head *Conn }

// Hub indexes connections.
type Hub struct {
	byID  map[string]*Conn
	ready *List
}

var all = map[string]*Conn{}

// add stores c in m under its ID.
func add(m map[string]*Conn, c *Conn) { m[c.ID] = c }

// drop deletes c's entry from m.
func drop(m map[string]*Conn, c *Conn) { delete(m, c.ID) }

// unlink takes c out of l.
//
//lifecycle:delete l c
func unlink(l *List, c *Conn) {}

// Register stores c in the hub.
func (h *Hub) Register(c *Conn) { h.byID[c.ID] = c }

// Idle takes c out of the hub's ready list.
func (h *Hub) Idle(c *Conn) { unlink(h.ready, c) }

// shut closes c.
func shut(c *Conn) { c.Close() }

// release hands c's memory out again.
//
//lifecycle:free c
func release(c *Conn) {}

// Serve starts the goroutine that closes c when it is done with it.
func Serve(c *Conn) { go shut(c) }

// Start serves c: through Serve, the same goroutine closes it.
func Start(c *Conn) { Serve(c) }

// Track stores c in all.
func Track(c *Conn) { all[c.ID] = c }

// Leak frees c while all holds it.
func Leak(c *Conn) {
	all[c.ID] = c
	release(c)
}
`

// hubTestGo declares a helper in a test file: the test variant learns it,
// and -learned leaves it out.
const hubTestGo = `package hub

import "testing"

func addForTest(m map[string]*Conn, c *Conn) { m[c.ID] = c }

func TestAdd(t *testing.T) { addForTest(map[string]*Conn{}, &Conn{}) }
`

const wantLearned = `rules:
  # package example.com/m/hub
  - {func: "(*example.com/m/hub.Hub).Idle", op: delete, object: 1, index: _}  # from Hub.ready
  # (*example.com/m/hub.Hub).Register inserts p1 into Hub.byID (a field index; a rule cannot name it)
  - {func: "example.com/m/hub.Leak", op: free, object: 0}
  # example.com/m/hub.Serve closes p0 (in a goroutine it starts, when that goroutine ends; a rule would make it the call's own)
  # example.com/m/hub.Start closes p0 (in a goroutine it starts, when that goroutine ends; a rule would make it the call's own)
  # example.com/m/hub.Track inserts p0 into all (a package-level index; a rule cannot name it)
  - {func: "example.com/m/hub.add", op: insert, object: 1, index: 0}
  - {func: "example.com/m/hub.drop", op: delete, object: _, index: 0}
  - {func: "example.com/m/hub.release", op: free, object: 0}
  - {func: "example.com/m/hub.shut", op: close, object: 0}
  - {func: "example.com/m/hub.unlink", op: delete, object: 1, index: 0}
  # package example.com/m/pool
  - {func: "example.com/m/pool.Recycle", op: free, object: 0}
groups: []
`

func TestLearned(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{
		"hub/hub.go":      hubGo,
		"hub/hub_test.go": hubTestGo,
		"pool/pool.go": `package pool

import "example.com/m/hub"

// Recycle frees c through hub's Leak.
func Recycle(c *hub.Conn) { hub.Leak(c) }
`,
		"none/none.go": "package none\n\n// Nothing learns nothing.\nfunc Nothing() {}\n",
	})
	status, out, errs := runIn(t, dir, "./...")
	require.Equal(t, 3, status, "Leak is a finding: %s", errs)

	status, out, errs = runIn(t, dir, "-learned", "./...")
	assert.Equal(t, 0, status, "findings do not count")
	assert.Empty(t, errs)
	assert.Equal(t, wantLearned, out)

	// The output is a rules file that resolves in the module.
	f, err := rules.ParseFile("learned.yaml", []byte(out))
	require.NoError(t, err)
	assert.Len(t, f.Rules, 8)
	require.NoError(t, os.WriteFile(filepath.Join(dir, rules.DefaultFile), []byte(out), 0o644))
	cfg, err := config.Load(dir, "")
	require.NoError(t, err)
	assert.Equal(t, []rules.Op{{Kind: rules.Insert, Index: 0, Object: 1}}, cfg.Rules.Lookup("example.com/m/hub.add"))
	assert.Equal(t, []rules.Op{{Kind: rules.Delete, Index: rules.Any, Object: 1}}, cfg.Rules.Lookup("(*example.com/m/hub.Hub).Idle"))
}

func TestLearnedFlagConflicts(t *testing.T) {
	t.Parallel()
	for _, bad := range [][]string{
		{"-learned", "-json", "./..."},
		{"-learned", "-format=sarif", "./..."},
		{"-learned", "-baseline=b.json", "./..."},
		{"-learned", "-write-baseline=b.json", "./..."},
		{"-learned", "-fix", "./..."},
		{"-learned", "-debug=f", "./..."},
	} {
		status, _, errs := runIn(t, t.TempDir(), bad...)
		assert.Equal(t, 2, status, "%q", bad)
		assert.Contains(t, errs, "-learned prints a rules file, not findings", "%q", bad)
	}
}

func TestLearnedLoadErrorExitsOne(t *testing.T) {
	t.Parallel()
	dir := writeModule(t, map[string]string{
		"a/a.go":   "package a\n\nfunc F() int { return \"x\" }\n",
		"hub/h.go": "package hub\n\n// add stores v in m.\nfunc add(m map[string]*int, v *int) { m[\"\"] = v }\n",
	})
	status, out, errs := runIn(t, dir, "-test=false", "-learned", "./...")
	assert.Equal(t, 1, status)
	assert.Regexp(t, `a/a.go:3:\d+: cannot use "x"`, errs)
	assert.Equal(t, "rules:\n  # package example.com/m/hub\n  - {func: \"example.com/m/hub.add\", op: insert, object: 1, index: 0}\ngroups: []\n", out)
}
