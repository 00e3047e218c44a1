package main

import bl "github.com/lifecyclecheck/lifecyclecheck/internal/baseline"

// fingerprintKey names the fingerprint in SARIF's partialFingerprints; the
// version changes when the inputs of the hash do.
const fingerprintKey = "lifecyclecheck/v1"

// fingerprint identifies a finding across edits that leave it alone (see
// bl.Fingerprint).
func fingerprint(f finding) string {
	return bl.Fingerprint(f.check, f.file, f.diag.Function, f.diag.Message)
}

// stripPositions removes the line:column numbers from a message.
func stripPositions(msg string) string { return bl.StripPositions(msg) }
