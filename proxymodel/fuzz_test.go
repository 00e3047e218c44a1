package proxymodel

import (
	"bufio"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func FuzzParseResolvConf(f *testing.F) {
	for _, seed := range []string{
		"",
		"nameserver 192.0.2.1\n",
		"nameserver [2001:db8::1]:5353\nnameserver ::1\nnameserver fe80::1%eth0",
		"# c\n; c\n\n  \t\nsearch a b c\ndomain d\noptions ndots:99 timeout:1 attempts:-1 rotate\n",
		"nameserver\nnameserver 1.2.3.4 5.6.7.8\nnameserver 1.2.3.4:0\nnameserver [1.2.3.4]\nbogus\r\n",
		"options timeout\noptions ndots:1x\nsortlist 10.0.0.0/8\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data string) {
		conf, err := ParseResolvConf([]byte(data))
		require.NotNil(t, conf, "nil result")
		lines := countLines(data)
		prevLine := 0
		nsLines := make(map[int]bool, len(conf.Nameservers))
		for _, ns := range conf.Nameservers {
			require.True(t, ns.Addr.IsValid(), "bad nameserver %+v: invalid address", ns)
			require.NotZero(t, ns.Addr.Port(), "bad nameserver %+v: port 0", ns)
			require.Greater(t, ns.Line, prevLine, "bad nameserver %+v: not after line %d", ns, prevLine)
			require.LessOrEqual(t, ns.Line, lines, "bad nameserver %+v: past the last line", ns)
			require.NotEmpty(t, ns.ID, "bad nameserver %+v: empty id", ns)
			require.False(t, strings.ContainsAny(ns.ID, " \t"), "bad nameserver id %q", ns.ID)
			prevLine = ns.Line
			nsLines[ns.Line] = true
		}
		o := conf.Options
		for _, opt := range []struct {
			name       string
			value, max int
		}{{"timeout", o.Timeout, maxTimeout}, {"attempts", o.Attempts, maxAttempts}, {"ndots", o.Ndots, maxNdots}} {
			require.GreaterOrEqual(t, opt.value, 0, "options out of range: %s in %+v", opt.name, o)
			require.LessOrEqual(t, opt.value, opt.max, "options out of range: %s in %+v", opt.name, o)
		}
		problems := 0
		if err != nil {
			var perr *ParseError
			require.ErrorAs(t, err, &perr)
			require.NotEmpty(t, perr.Problems, "want a *ParseError with problems")
			prev := 0
			for _, p := range perr.Problems {
				require.Greater(t, p.Line, prev, "bad problem %+v: not after line %d", p, prev)
				require.LessOrEqual(t, p.Line, lines, "bad problem %+v: past the last line", p)
				require.NotEmpty(t, p.Reason, "bad problem %+v: no reason", p)
				require.False(t, nsLines[p.Line], "line %d is both a nameserver and a problem", p.Line)
				prev = p.Line
			}
			problems = len(perr.Problems)
		}
		require.LessOrEqual(t, len(conf.Nameservers)+problems, lines,
			"%d nameservers and %d problems from %d lines", len(conf.Nameservers), problems, lines)
	})
}

// countLines counts lines as bufio.ScanLines splits them.
func countLines(data string) int {
	sc := bufio.NewScanner(strings.NewReader(data))
	sc.Buffer(nil, len(data)+1)
	n := 0
	for sc.Scan() {
		n++
	}
	return n
}

// treeOps drives a tree and a pool with random operations and a reference
// model: order is the expected in-order sequence, loose the live proxies that
// are not linked.
type treeOps struct {
	tree  NameTree
	pool  Pool
	order []*Proxy
	loose []*Proxy
}

func (s *treeOps) apply(op, arg byte) {
	key := string(rune('a' + arg%5)) // few keys, many duplicates
	switch op % 6 {
	case 0: // alloc
		p := s.pool.Alloc()
		p.name = key
		s.loose = append(s.loose, p)
	case 1: // insert a loose proxy, after its equal keys
		if p, ok := take(&s.loose, arg); ok {
			p.byName.key = p.name
			s.tree.Insert(&p.byName)
			i := len(s.order)
			for i > 0 && s.order[i-1].name > p.name {
				i--
			}
			s.order = slices.Insert(s.order, i, p)
		}
	case 2: // delete
		if p, ok := take(&s.order, arg); ok {
			p.byName.Delete()
			s.loose = append(s.loose, p)
		}
	case 3: // free a loose proxy
		if p, ok := take(&s.loose, arg); ok {
			s.pool.Free(p)
		}
	case 4: // delete then free, as DeinitProxy
		if p, ok := take(&s.order, arg); ok {
			p.byName.Delete()
			s.pool.Free(p)
		}
	case 5: // lookup
		var want *NameNode
		if i := slices.IndexFunc(s.order, func(p *Proxy) bool { return p.name == key }); i >= 0 {
			want = &s.order[i].byName
		}
		if got := s.tree.Lookup(key); got != want {
			panic("lookup of " + key + " did not return the first node with that key")
		}
	}
}

// take removes and returns the element of *ps chosen by arg.
func take(ps *[]*Proxy, arg byte) (*Proxy, bool) {
	if len(*ps) == 0 {
		return nil, false
	}
	i := int(arg) % len(*ps)
	p := (*ps)[i]
	*ps = slices.Delete(*ps, i, i+1)
	return p, true
}

func (s *treeOps) check(t *testing.T) {
	t.Helper()
	mustCheck(t, &s.tree)
	var got []*Proxy
	for n := range s.tree.All() {
		got = append(got, n.Proxy())
	}
	// Compare pointers: distinct proxies with equal fields must not match.
	require.True(t, slices.Equal(got, s.order), "walk differs from the reference order")
	st := s.pool.Stats()
	require.True(t, st.Balanced(), "pool %+v unbalanced", st)
	require.Equal(t, len(s.order)+len(s.loose), st.InUse, "pool %+v: in use vs live proxies", st)
}

func FuzzTreeOps(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 0, 2, 1, 0, 1, 0, 1, 0, 5, 0, 5, 1})
	f.Add([]byte{0, 3, 0, 3, 0, 3, 1, 0, 1, 0, 1, 0, 2, 1, 3, 0, 0, 3, 1, 0, 4, 0, 4, 0})
	f.Add([]byte{0, 0, 0, 1, 0, 2, 0, 3, 0, 4, 1, 2, 1, 0, 1, 1, 1, 0, 1, 0, 2, 2, 4, 1, 5, 2, 3, 0})
	f.Fuzz(func(t *testing.T, ops []byte) {
		// Every operation checks the whole tree, so a run costs the square
		// of its length; past 512 operations the fuzzer learns nothing new
		// and stalls on each input.
		if len(ops) > 1024 {
			ops = ops[:1024]
		}
		var s treeOps
		for i := 0; i+1 < len(ops); i += 2 {
			s.apply(ops[i], ops[i+1])
			s.check(t)
		}
		for len(s.order) > 0 {
			s.apply(4, 0)
		}
		for len(s.loose) > 0 {
			s.apply(3, 0)
		}
		s.check(t)
		st := s.pool.Stats()
		require.Zero(t, st.InUse, "after freeing everything: pool %+v", st)
		require.Zero(t, s.tree.Len(), "after freeing everything: nodes")
	})
}
