package report

import (
	"fmt"
	"testing"
)

func TestSplitPosition(t *testing.T) {
	for _, tc := range []struct {
		in   string
		file string
		line int
		col  int
		ok   bool
	}{
		{"/src/a/b.go:12:7", "/src/a/b.go", 12, 7, true},
		{`C:\src\b.go:3:1`, `C:\src\b.go`, 3, 1, true},
		{"b.go:12", "", 0, 0, false},
		{"b.go:0:1", "", 0, 0, false},
		{":1:1", "", 0, 0, false},
		{"", "", 0, 0, false},
	} {
		file, line, col, ok := splitPosition(tc.in)
		if file != tc.file || line != tc.line || col != tc.col || ok != tc.ok {
			t.Errorf("splitPosition(%q) = %q, %d, %d, %v; want %q, %d, %d, %v", tc.in, file, line, col, ok, tc.file, tc.line, tc.col, tc.ok)
		}
	}
}

func FuzzSplitPosition(f *testing.F) {
	f.Add("/src/a/b.go:12:7")
	f.Add("b.go::")
	f.Fuzz(func(t *testing.T, at string) {
		file, line, col, ok := splitPosition(at)
		if !ok {
			return
		}
		if line < 1 || col < 1 || file == "" {
			t.Fatalf("splitPosition(%q) accepted %q, %d, %d", at, file, line, col)
		}
		if again := fmt.Sprintf("%s:%d:%d", file, line, col); again != at {
			if f2, l2, c2, _ := splitPosition(again); f2 != file || l2 != line || c2 != col {
				t.Fatalf("splitPosition(%q) does not read its own output back", again)
			}
		}
	})
}
