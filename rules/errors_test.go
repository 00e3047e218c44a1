package rules

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestJoinErrors(t *testing.T) {
	fe := func(file string, line int) error { return &FileError{File: file, Line: line, Msg: "m"} }
	assert.NoError(t, JoinErrors())
	assert.NoError(t, JoinErrors(nil, errors.Join(nil)))

	one := fe("a.yaml", 3)
	assert.Same(t, one, JoinErrors(nil, one), "one problem comes back as itself")

	err := JoinErrors(
		errors.Join(fe("a.yaml", 8), fe("a.yaml", 2)),
		fe("inline", 1),
		errors.New("cannot load"),
		errors.Join(fe("a.yaml", 5), errors.Join(fe("a.yaml", 1))),
	)
	assert.EqualError(t, err, "cannot load\na.yaml:1: m\na.yaml:2: m\na.yaml:5: m\na.yaml:8: m\ninline:1: m")
	var got *FileError
	require.ErrorAs(t, err, &got)
	assert.Equal(t, 1, got.Line)
}
