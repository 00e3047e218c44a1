package main

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
)

// fingerprintKey names the fingerprint in SARIF's partialFingerprints; the
// version changes when the inputs of the hash do.
const fingerprintKey = "lifecyclecheck/v1"

// positionInMessage matches the line (and column) a message gives after a
// file name, as in "(inserted at conns.go:18)".
var positionInMessage = regexp.MustCompile(`(\S):\d+(?::\d+)?`)

// stripPositions removes the line:column numbers from a message, so that
// lines moving elsewhere in the file do not change it.
func stripPositions(msg string) string {
	return positionInMessage.ReplaceAllString(msg, "$1")
}

// fingerprint identifies a finding across edits that leave it alone: it
// hashes the check, the file (relative to the module root), the
// enclosing function and the message without line numbers, and never the
// line itself. Two findings of one check in one function with one
// message share a fingerprint; baselines count them.
func fingerprint(f finding) string {
	h := sha256.New()
	for _, part := range []string{f.check, f.file, f.function, stripPositions(f.diag.Message)} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
