package driver

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTrim checks that entries unused for cacheKeep go, with all their
// files, that recent ones stay, and that a trim runs at most once every
// cacheTrim.
func TestTrim(t *testing.T) {
	t.Parallel()
	c := &cache{dir: t.TempDir()}
	old, recent := [32]byte{1}, [32]byte{2}
	for _, key := range [][32]byte{old, recent} {
		for _, suffix := range []string{"e", "f", "m"} {
			require.NoError(t, c.write(key, suffix, []byte("x")))
		}
	}
	long := time.Now().Add(-cacheKeep - time.Hour)
	require.NoError(t, os.Chtimes(c.path(old, "m"), long, long))

	c.trim()
	for _, suffix := range []string{"e", "f", "m"} {
		assert.NoFileExists(t, c.path(old, suffix))
		assert.FileExists(t, c.path(recent, suffix))
	}

	// Within cacheTrim of the last trim, an old entry stays.
	require.NoError(t, os.Chtimes(c.path(recent, "m"), long, long))
	c.trim()
	assert.FileExists(t, c.path(recent, "m"))
}
