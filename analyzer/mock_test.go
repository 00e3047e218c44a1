package analyzer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

const backPointerSrc = `package bp

type clearer interface{ clearStream(id int) }

type Stream struct {
	id int
	c  clearer
}

func (s *Stream) Close() error {
	s.c.clearStream(s.id)
	return nil
}

type RawConn struct{ streams map[int]*Stream }

func (c *RawConn) clearStream(id int) { delete(c.streams, id) }

func (c *RawConn) track(id int) *Stream {
	s := &Stream{id: id, c: c}
	c.streams[id] = s
	return s
}

func (c *RawConn) Handle(id int) {
	s := c.track(id)
	s.Close()
}
`

const mockSrc = `package bp

type mockClearer struct{ cleared []int }

func (m *mockClearer) clearStream(id int) { m.cleared = append(m.cleared, id) }
`

// TestMockIsNoImplementation: a mock declared in a _test.go file for the
// package's tests does not make the package's interface ambiguous, so the
// test variant of the package resolves the back-pointer as the package
// does (quic-go's streamClearer and its mock) and stays silent.
func TestMockIsNoImplementation(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a package with its tests")
	}
	_, acts := analyzeModule(t, "bp", map[string]string{"bp.go": backPointerSrc, "mock_test.go": mockSrc}, true)
	variants := 0
	for _, act := range acts {
		if act.Package.Name != "bp" {
			continue
		}
		variants++
		for _, d := range act.Diagnostics {
			assert.Fail(t, "unexpected report", "%s: %s", act.Package.ID, d.Message)
		}
	}
	assert.Equal(t, 2, variants, "the package and its test variant")
}
