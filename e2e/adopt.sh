# shellcheck shell=bash
# The adoption checks of e2e/run.sh, which sources this file: versions,
# SARIF, baselines, build tags, load errors, the GitHub Action's script and
# the README's snippets. It uses run.sh's helpers (check, run, has, lacks,
# fixture) and variables (ROOT, BIN, WORK, APP_FINDING, CONNS_FINDING).

# --- adoption: versions, SARIF, baselines, tags, the GitHub Action, README --

# readme_block NAME: the first fenced code block after the line
# "<!-- e2e:NAME -->" in README.md, so that what the README shows is what
# runs here.
readme_block() {
	awk -v m="<!-- e2e:$1 -->" '
		$0 == m { found = 1; next }
		found && /^```/ { if (inside) exit; inside = 1; next }
		inside { print }
	' "$ROOT/README.md"
}

# schema_valid FILE: FILE is a SARIF log valid under the official SARIF
# 2.1.0 schema (the Go test fetches it through the module proxy).
schema_valid() {
	(cd "$ROOT" && LIFECYCLECHECK_SARIF_FILE=$1 go test -count=1 -run '^TestSARIFFileIsSchemaValid$' -v ./cmd/lifecyclecheck) >"$WORK/schema.log" 2>&1
	local rc=$?
	cat "$WORK/schema.log"
	[[ $rc -eq 0 ]] && grep -q -- '--- PASS: TestSARIFFileIsSchemaValid' "$WORK/schema.log"
}

adopt_version() {
	run 0 "$BIN/lifecyclecheck" -V=full && has '^lifecyclecheck version devel .* buildID=[0-9a-f]{64}$' &&
		run 0 "$BIN/lifecyclecheck" -V && has '^lifecyclecheck version v[0-9]' &&
		run 0 "$BIN/lifecyclecheck" -version && has '^lifecyclecheck version v[0-9]' &&
		run 0 "$BIN/lifecyclecheck-vet" -V=full && has '^lifecyclecheck-vet version devel .* buildID=[0-9a-f]{64}$' &&
		run 0 "$BIN/lifecyclecheck-vet" -version && has '^lifecyclecheck-vet version v[0-9]' || return 1
	# -help points at commands that exist.
	run 0 "$BIN/lifecyclecheck-vet" -help && has 'go help vet' && has 'lifecyclecheck -help' &&
		run 0 go help vet && run 0 "$BIN/lifecyclecheck" -help && has '^  -format format'
}

adopt_sarif() {
	cd "$(fixture vetmod)" || return 1
	"$BIN/lifecyclecheck" -format=sarif ./... >"$WORK/vetmod.sarif" 2>"$WORK/out"
	local rc=$?
	echo "lifecyclecheck -format=sarif ./... -> exit $rc"
	cat "$WORK/out"
	[[ $rc -eq 0 ]] || return 1
	python3 - "$WORK/vetmod.sarif" <<'PY' || return 1
import json, sys
log = json.load(open(sys.argv[1]))
run = log["runs"][0]
assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["freed", "closed", "undo", "partial", "unregister"]
results = run["results"]
assert len(results) == 2, results
for r in results:
    loc = r["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%", loc
    assert r["partialFingerprints"]["lifecyclecheck/v1"]
    flow = r["codeFlows"][0]["threadFlows"][0]["locations"]
    assert flow[-1]["location"]["physicalLocation"] == loc, flow
app = [r for r in results if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app/app.go"][0]
msgs = [l["location"]["message"]["text"] for l in app["codeFlows"][0]["threadFlows"][0]["locations"]]
assert msgs[0] == "inserted into byName here", msgs
print("sarif ok:", [r["message"]["text"] for r in results])
PY
	schema_valid "$WORK/vetmod.sarif"
}

# finding_lines: the findings (not their related lines) in the last output.
finding_lines() { grep -E '^[^[:space:]]+:[0-9]+:[0-9]+: [^[:space:]]' "$WORK/out"; }

adopt_baseline() {
	cd "$(fixture vetmod)" || return 1
	# The README's adoption commands, exactly as printed.
	readme_block baseline | tee "$WORK/baseline.sh" | grep -q -- -write-baseline || { echo "no baseline block in README"; return 1; }
	run 0 env PATH="$BIN:$PATH" bash -euxo pipefail "$WORK/baseline.sh" &&
		lacks 'freed by' && [[ -s .lifecyclecheck-baseline.json ]] || return 1
	cat .lifecyclecheck-baseline.json
	# A line above every finding: still nothing new.
	sed -i '2i // a new line above every finding' app/app.go conns/conns.go
	run 0 "$BIN/lifecyclecheck" -baseline=.lifecyclecheck-baseline.json ./... && lacks . || return 1
	# A new bug: exactly one finding.
	printf '\n// Again frees c too.\nfunc Again(id string) {\n\tc := &Conn{ID: id}\n\tbyID[id] = c\n\tpool.Put(c)\n}\n' >>conns/conns.go
	run 3 "$BIN/lifecyclecheck" -baseline=.lifecyclecheck-baseline.json ./... || return 1
	[[ $(finding_lines | wc -l) -eq 1 ]] && has '^/.*conns/conns.go:[0-9]+:[0-9]+: c freed by pool.Put' ||
		{ echo "want exactly one new finding"; return 1; }
}

TAGGED_BUG='//go:build e2etag

package conns

// Tagged frees c while byID holds it, in a file built with -tags e2etag.
func Tagged(id string) {
	c := &Conn{ID: id}
	byID[id] = c
	pool.Put(c)
}
'

adopt_tags() {
	cd "$(fixture vetmod)" && printf '%s' "$TAGGED_BUG" >conns/tagged.go || return 1
	run 3 "$BIN/lifecyclecheck" ./conns && lacks 'tagged.go' &&
		run 3 "$BIN/lifecyclecheck" -tags e2etag ./conns && has '/conns/tagged.go:9:[0-9]+: c freed by pool.Put' &&
		run 0 "$BIN/lifecyclecheck" -tags=e2etag -fix -diff ./conns && has '^\+[[:space:]]+delete\(byID, id\)' &&
		run 1 go vet -tags e2etag -vettool="$BIN/lifecyclecheck" ./conns && has '^conns/tagged.go:9:'
}

adopt_load_errors() {
	cd "$(fixture vetmod)" && printf 'package clean\n\nfunc Broken() int { return "x" }\n' >clean/broken.go || return 1
	run 1 "$BIN/lifecyclecheck" ./... && has 'clean/broken.go:3:[0-9]+: cannot use "x"' &&
		lacks 'prerequisites' && lacks 'analysis skipped' &&
		[[ $(grep -c 'cannot use "x"' "$WORK/out") -eq 1 ]]
}

adopt_vet_wrapper() {
	cd "$(fixture vetmod)" || return 1
	run 1 env PATH="$BIN:$PATH" lifecyclecheck-vet ./... && has "^$APP_FINDING" && has "^$CONNS_FINDING"
}

adopt_action() {
	local dir
	dir=$(fixture vetmod) || return 1
	: >"$WORK/github_output"
	run 0 env INPUT_WORKING_DIRECTORY="$dir" GITHUB_OUTPUT="$WORK/github_output" RUNNER_TEMP="$WORK" \
		bash "$ROOT/.github/lifecyclecheck-action.sh" || return 1
	cat "$WORK/github_output"
	grep -qx "sarif-file=$dir/lifecyclecheck.sarif" "$WORK/github_output" &&
		grep -qx 'findings=2' "$WORK/github_output" &&
		grep -q 'lifecyclecheck-action.sh' "$ROOT/action.yml" &&
		schema_valid "$dir/lifecyclecheck.sarif" || return 1
	# Inputs: a baseline in args leaves no findings.
	(cd "$dir" && "$BIN/lifecyclecheck" -write-baseline=base.json ./...) || return 1
	: >"$WORK/github_output"
	run 0 env INPUT_WORKING_DIRECTORY="$dir" INPUT_ARGS="-baseline=base.json" INPUT_SARIF_FILE=out.sarif \
		GITHUB_OUTPUT="$WORK/github_output" RUNNER_TEMP="$WORK" bash "$ROOT/.github/lifecyclecheck-action.sh" &&
		grep -qx 'findings=0' "$WORK/github_output" && [[ -s $dir/out.sarif ]] || return 1
	# The cache the action keeps between jobs (action.yml: cache): filled by
	# the first run; the second, with nothing changed, finds every package
	# there (writes no entry) and reports the same findings.
	rm -rf "$WORK/action-cache"
	local i entries=()
	for i in 1 2; do
		: >"$WORK/github_output"
		run 0 env INPUT_WORKING_DIRECTORY="$dir" INPUT_CACHE_DIR="$WORK/action-cache" INPUT_SARIF_FILE=cached.sarif \
			GITHUB_OUTPUT="$WORK/github_output" RUNNER_TEMP="$WORK" bash "$ROOT/.github/lifecyclecheck-action.sh" &&
			grep -qx 'findings=2' "$WORK/github_output" || return 1
		entries+=("$(find "$WORK/action-cache" -name '*-m' | wc -l)")
	done
	echo "cache entries after each run: ${entries[*]}"
	((entries[0] > 0 && entries[0] == entries[1]))
}

adopt_readme_install() {
	# The README's install from a clone, exactly as printed.
	local block
	block=$(readme_block install) && [[ -n $block ]] || { echo "no install block in README"; return 1; }
	echo "$block"
	cd "$ROOT" && run 0 env GOBIN="$WORK/gobin" bash -euxo pipefail -c "$block" &&
		[[ -x $WORK/gobin/lifecyclecheck && -x $WORK/gobin/lifecyclecheck-vet ]]
}

adopt_readme_custom_gcl() {
	# The README's .custom-gcl.yml is the repository's.
	diff <(readme_block custom-gcl) <(grep -v '^#' "$ROOT/.custom-gcl.yml") && grep -q '^    path: ' "$ROOT/.custom-gcl.yml"
}

# adopt_readme_examples: every "$ go run ./cmd/lifecyclecheck ARGS" the
# README shows prints the lines the README shows under it ("…/" standing
# for the path to the repository; "exit status N" is go run's).
adopt_readme_examples() {
	local n=0 args
	while IFS= read -r args; do
		n=$((n + 1))
		(cd "$ROOT" && "$BIN/lifecyclecheck" $args) >"$WORK/example.out" 2>&1
		awk -v want="    \$ go run ./cmd/lifecyclecheck $args" '
			$0 == want { on = 1; next }
			on && /^    …\// { print substr($0, 5 + length("…/")); next }
			on { exit }
		' "$ROOT/README.md" >"$WORK/example.want"
		[[ -s $WORK/example.want ]] || { echo "no lines shown under: $args"; return 1; }
		while IFS= read -r line; do
			grep -qF -- "/$line" "$WORK/example.out" || { echo "lifecyclecheck $args does not print: $line"; cat "$WORK/example.out"; return 1; }
		done <"$WORK/example.want"
	done < <(sed -n 's/^    \$ go run \.\/cmd\/lifecyclecheck //p' "$ROOT/README.md" | sort -u)
	echo "$n README examples print what the README shows"
	[[ $n -ge 5 ]]
}

suite_adopt() {
	echo "== adoption: versions, SARIF, baselines, tags, the GitHub Action, README"
	[[ -x $BIN/lifecyclecheck ]] || check "build lifecyclecheck" build_lifecyclecheck || return
	check "version: -V, -V=full (go vet's buildID form), -version; lifecyclecheck-vet too; -help names real commands" adopt_version
	check "standalone: -format=sarif is valid SARIF 2.1.0 with rules, code flows and fingerprints" adopt_sarif
	check "standalone: the README's baseline commands; moved lines stay baselined, a new bug is the one finding" adopt_baseline
	check "standalone and go vet: -tags reaches the loader (text, -fix, vet)" adopt_tags
	check "standalone: a load error is one line, without prerequisite chatter" adopt_load_errors
	check "lifecyclecheck-vet ./... finds lifecyclecheck on PATH" adopt_vet_wrapper
	check "GitHub Action: its script installs, writes SARIF and its outputs, and keeps its cache" adopt_action
	check "README: install from a clone, as printed" adopt_readme_install
	check "README: each lifecyclecheck example prints what the README shows" adopt_readme_examples
	check "README: .custom-gcl.yml is the repository's" adopt_readme_custom_gcl
}
