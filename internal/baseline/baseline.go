// Package baseline identifies findings across edits that leave them alone
// (their fingerprints), reads the baseline files that record a module's
// findings when it adopted lifecyclecheck, and says which findings a
// baseline holds. The standalone command writes and reads baselines; the
// analyzer reads them under go vet and golangci-lint, so that every driver
// reports only what is new.
package baseline

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/token"
	"os"
	"regexp"
)

// Version is the version of the baseline file format; it changes with the
// fingerprint.
const Version = 1

// File is a baseline file: the findings a module had, by fingerprint.
type File struct {
	Version  int     `json:"version"`
	Tool     string  `json:"tool"`
	Findings []Entry `json:"findings"`
}

// Entry is one fingerprint, with how many findings have it and, for the
// reader, what they are (without line numbers, so that the file does not
// change when lines move).
type Entry struct {
	Fingerprint string `json:"fingerprint"`
	Count       int    `json:"count"`
	Check       string `json:"check"`
	File        string `json:"file"`
	Function    string `json:"function,omitempty"`
	Message     string `json:"message"`
}

// positionInMessage matches the line (and column) a message gives after a
// file name, as in "(inserted at conns.go:18)".
var positionInMessage = regexp.MustCompile(`(\S):\d+(?::\d+)?`)

// StripPositions removes the line:column numbers from a message, so that
// lines moving elsewhere in the file do not change it.
func StripPositions(msg string) string {
	return positionInMessage.ReplaceAllString(msg, "$1")
}

// Fingerprint identifies a finding across edits that leave it alone: it
// hashes the check, the file (slash path relative to the module root),
// the enclosing function (see EnclosingFunc) and the message without line
// numbers, and never the line itself. Two findings of one check in one
// function with one message share a fingerprint; baselines count them.
func Fingerprint(check, file, function, message string) string {
	h := sha256.New()
	for _, part := range []string{check, file, function, StripPositions(message)} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Read reads the baseline file at path.
func Read(path string) (File, error) {
	var b File
	data, err := os.ReadFile(path)
	if err != nil {
		return b, err
	}
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&b); err != nil {
		return b, fmt.Errorf("%s: not a lifecyclecheck baseline: %v", path, err)
	}
	if b.Version != Version {
		return b, fmt.Errorf("%s: baseline version %d: this lifecyclecheck reads version %d; write it again with -write-baseline", path, b.Version, Version)
	}
	return b, nil
}

// Counts returns how many findings the baseline holds, by fingerprint: a
// fingerprint recorded n times hides the first n findings that have it,
// in position order.
func (b File) Counts() map[string]int {
	left := map[string]int{}
	for _, e := range b.Findings {
		left[e.Fingerprint] += e.Count
	}
	return left
}

// EnclosingFunc names the function declaration of files holding pos: "F"
// for a function, "T.M" for a method (pointer receiver or not, type
// parameters left out); "" at package level. A report in a function
// literal takes the name of the declaration around it.
func EnclosingFunc(files []*ast.File, pos token.Pos) string {
	for _, f := range files {
		if pos < f.FileStart || pos >= f.FileEnd {
			continue
		}
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || pos < fd.Pos() || pos >= fd.End() {
				continue
			}
			if recv := receiverType(fd); recv != "" {
				return recv + "." + fd.Name.Name
			}
			return fd.Name.Name
		}
	}
	return ""
}

// receiverType returns the name of fd's receiver type, "" for a function.
func receiverType(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return ""
	}
	t := fd.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
		case *ast.ParenExpr:
			t = x.X
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}
