package rules

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseChecks(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{nil, "freed,closed,undo,partial,unregister"},
		{[]string{"all"}, "freed,closed,undo,partial,unregister"},
		{[]string{"all,-undo"}, "freed,closed,partial,unregister"},
		{[]string{"all", "-undo", "-partial"}, "freed,closed,unregister"},
		{[]string{"-closed"}, "freed,undo,partial,unregister"},
		{[]string{"freed"}, "freed"},
		{[]string{"freed, closed"}, "freed,closed"},
		{[]string{"-all", "closed"}, "closed"},
	} {
		s, err := ParseChecks(tc.in)
		require.NoError(t, err, "%q", tc.in)
		assert.Equal(t, tc.want, s.String(), "%q", tc.in)
	}
}

func TestParseChecksErrors(t *testing.T) {
	_, err := ParseChecks([]string{"all,-udno"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown check "udno"`)
	assert.Contains(t, err.Error(), "freed, closed, undo, partial, unregister")
}

func TestNilCheckSetHasAll(t *testing.T) {
	var s CheckSet
	for _, c := range Checks() {
		assert.True(t, s.Has(c))
	}
}
