package version

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFromBuildInfo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{"installed at a version", debug.BuildInfo{Main: debug.Module{Version: "v0.3.1"}}, "v0.3.1"},
		{"pseudo-version", debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261129184535-3c348760afe6"}}, "v0.0.0-20261129184535-3c348760afe6"},
		{"clone without vcs", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, Dev + "+novcs"},
		{"clone with vcs", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "3c348760afe6410779ae3ace1ffdf98ced87cd73"},
			{Key: "vcs.modified", Value: "false"},
		}}, Dev + "+3c348760afe6"},
		{"dirty clone", debug.BuildInfo{Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "3c348760afe6"},
			{Key: "vcs.modified", Value: "true"},
		}}, Dev + "+3c348760afe6.dirty"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, fromBuildInfo(&tt.info), tt.name)
	}
}

func TestRequested(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want Request
	}{
		{[]string{"./..."}, None},
		{[]string{"-V"}, Brief},
		{[]string{"--version"}, Brief},
		{[]string{"-version=true"}, Brief},
		{[]string{"-V=full"}, Build},
		{[]string{"-V=fulll"}, Bad},
		{[]string{"-version=full"}, Bad},
		{[]string{"-V=false", "./..."}, None},
		{[]string{"--", "-V"}, None},
		{[]string{"-json", "-V=full", "./..."}, Build},
		{[]string{"-Version"}, None},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Requested(tt.args), "%q", tt.args)
	}
}

func TestPrint(t *testing.T) {
	t.Parallel()
	var out, errs bytes.Buffer
	status, ok := Print(&out, &errs, "lifecyclecheck", []string{"-version"})
	require.True(t, ok)
	assert.Equal(t, 0, status)
	assert.Regexp(t, `^lifecyclecheck version v\S+ go1\.\S+\n$`, out.String())

	// go vet's expectations (cmd/go/internal/work/buildid.go, toolID):
	// "version" second, "devel" in the third field, buildID= last.
	out.Reset()
	status, ok = Print(&out, &errs, "lifecyclecheck", []string{"-V=full"})
	require.True(t, ok)
	assert.Equal(t, 0, status)
	f := strings.Fields(out.String())
	require.GreaterOrEqual(t, len(f), 3)
	assert.Equal(t, "version", f[1])
	assert.Contains(t, f[2], "devel")
	assert.Regexp(t, `^buildID=[0-9a-f]{64}$`, f[len(f)-1])

	out.Reset()
	status, ok = Print(&out, &errs, "lifecyclecheck", []string{"-V=short"})
	require.True(t, ok)
	assert.Equal(t, 2, status)
	assert.Empty(t, out.String())
	assert.Contains(t, errs.String(), "want -V, -V=full or -version")

	_, ok = Print(&out, &errs, "lifecyclecheck", []string{"./..."})
	assert.False(t, ok)
}
