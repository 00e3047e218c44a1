package analyzer

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestStandard: the evidence checks leave the standard library's indexes
// to it. A path is the standard library's when GOROOT has it, not merely
// when its first element has no dot (analysistest's packages, "undo",
// have none either).
func TestStandard(t *testing.T) {
	env := &passEnv{std: make(map[string]bool)}
	for path, std := range map[string]bool{
		"context":                   true,
		"net/http":                  true,
		"internal/bisect":           true,
		"undo":                      false,
		"partialx/hub":              false,
		"example.com/chat/hub":      false,
		"github.com/redis/go-redis": false,
		"":                          false,
	} {
		assert.Equal(t, std, env.Standard(path), path)
		assert.Equal(t, std, env.Standard(path), "%s, remembered", path)
	}
}
