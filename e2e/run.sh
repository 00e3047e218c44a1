#!/usr/bin/env bash
# End-to-end checks of every way to run lifecyclecheck: standalone, go vet,
# a custom golangci-lint v2 with the module plugin, pre-commit hooks, and
# what adopting it takes (SARIF, baselines, the GitHub Action, the README's
# snippets: e2e/adopt.sh).
# Offline but for the Go module proxy and apt (pre-commit is installed from
# Debian if missing). Builds are cached in $LIFECYCLECHECK_E2E_CACHE
# (default ~/.cache/lifecyclecheck-e2e; the binaries in a directory of
# their own for each checkout) and Go's own build cache.
#
# Usage: bash e2e/run.sh [vet|adopt|golangci|precommit]...   (default: all)
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
FIXTURES=$ROOT/e2e/fixtures
CACHE=${LIFECYCLECHECK_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lifecyclecheck-e2e}
# One bin directory a checkout, so that e2e runs of two worktrees at once
# do not test each other's builds.
BIN=$CACHE/bin/$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)
WORK=$(mktemp -d)
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
export GOWORK=off GOTOOLCHAIN=local
mkdir -p "$BIN"

passed=0
failed=0
failures=()

# check NAME CMD...: runs CMD (a function of this file) and records the result;
# its output is shown only when it fails.
check() {
	local name=$1
	shift
	local log=$WORK/check.log
	if ("$@") >"$log" 2>&1; then
		echo "PASS $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name"
		sed 's/^/    | /' "$log"
		failed=$((failed + 1))
		failures+=("$name")
		return 1
	fi
}

# run WANT CMD...: runs CMD with its output in $WORK/out, and fails unless it
# exits with status WANT ("nonzero-not-3" takes any status but 0 and 3).
run() {
	local want=$1
	shift
	"$@" >"$WORK/out" 2>&1
	local rc=$?
	echo "\$ $* -> exit $rc"
	cat "$WORK/out"
	case $want in
	nonzero-not-3) [[ $rc -ne 0 && $rc -ne 3 ]] ;;
	*) [[ $rc -eq $want ]] ;;
	esac || {
		echo "want exit $want"
		return 1
	}
}

# has REGEX / lacks REGEX: the output of the last run has a line matching
# REGEX (extended), or none.
has() { grep -Eq -- "$1" "$WORK/out" || { echo "missing line matching: $1"; return 1; }; }
lacks() { ! grep -Eq -- "$1" "$WORK/out" || { echo "unexpected line matching: $1"; return 1; }; }

# fixture NAME: a fresh, writable copy of a fixture module; prints its path.
fixture() {
	local dir
	dir=$(mktemp -d "$WORK/$1.XXXX")
	cp -R "$FIXTURES/$1/." "$dir"
	echo "$dir"
}

build_lifecyclecheck() {
	(cd "$ROOT" && go build -o "$BIN/" ./cmd/lifecyclecheck ./cmd/lifecyclecheck-vet)
}

# --- go vet and standalone -------------------------------------------------

APP_FINDING='app/app.go:13:[0-9]+: s freed by reaper.Release while still in index byName \(inserted by sessions.Register at app.go:12\)'
CONNS_FINDING='conns/conns.go:19:[0-9]+: c freed by pool.Put while still in index byID'
BAD_OP_RULES='rules:
  - func: (*example.com/tree.Root).Insert
    op: insrt
    index: r
    object: n
'
BAD_FUNC_RULES='rules:
  - func: (*example.com/tree.Root).Add
    op: insert
    index: r
    object: n
'

# The fixture's rules with close declared on Node.Delete, whose only
# parameter is its receiver n.
CLOSE_NO_PARAM_RULES='rules:
  - func: (*example.com/tree.Root).Insert
    op: insert
    index: r
    object: n
  - func: (*example.com/tree.Node).Delete
    op: close
    object: c
'
CLOSE_NO_PARAM_ERROR='\.lifecyclecheck\.yaml:6: no parameter named "c": want one of n'
BOGUS_CHECK_ERROR='\.lifecyclecheck\.yaml:13: unknown check "bogus"'

# append_rule_line LINE: appends LINE to the rules file of the fixture in the working directory.
append_rule_line() {
	printf '%s\n' "$1" >>.lifecyclecheck.yaml
}

vet_cross_package() {
	cd "$(fixture vetmod)" || return 1
	run 1 go vet -vettool="$BIN/lifecyclecheck" ./... &&
		has "^$APP_FINDING" && has "^$CONNS_FINDING" && lacks '^clean/'
}

vet_needs_rules_file() {
	# Without the rules file the tree's insert is unknown: no app finding.
	cd "$(fixture vetmod)" && rm .lifecyclecheck.yaml || return 1
	run 1 go vet -vettool="$BIN/lifecyclecheck" ./... &&
		has "^$CONNS_FINDING" && lacks '^app/'
}

vet_rules_flag_relative_to_module_root() {
	cd "$(fixture vetmod)" && mkdir lint && mv .lifecyclecheck.yaml lint/rules.yaml && cd app || return 1
	run 1 go vet -vettool="$BIN/lifecyclecheck" -rules=lint/rules.yaml ./... &&
		has '^app.go:13:[0-9]+: s freed by reaper.Release while still in index byName'
}

vet_bad_rules_file() {
	cd "$(fixture vetmod)" && printf '%s' "$BAD_OP_RULES" >.lifecyclecheck.yaml || return 1
	run nonzero-not-3 go vet -vettool="$BIN/lifecyclecheck" ./... &&
		has '\.lifecyclecheck\.yaml:3: unknown op "insrt"' && lacks 'freed by' &&
		[[ $(grep -c 'unknown op "insrt"' "$WORK/out") -eq 1 ]] || { echo "the error is not printed once"; return 1; }
}

standalone_bad_rules_file() {
	cd "$(fixture vetmod)" && printf '%s' "$BAD_FUNC_RULES" >.lifecyclecheck.yaml || return 1
	run 1 "$BIN/lifecyclecheck" ./... &&
		has '^\.lifecyclecheck\.yaml:2: .*Add' && lacks 'freed by'
}

vet_close_without_param() {
	cd "$(fixture vetmod)" && printf '%s' "$CLOSE_NO_PARAM_RULES" >.lifecyclecheck.yaml || return 1
	run 1 go vet -vettool="$BIN/lifecyclecheck" ./... && has "$CLOSE_NO_PARAM_ERROR" && lacks 'freed by'
}

standalone_close_without_param() {
	cd "$(fixture vetmod)" && printf '%s' "$CLOSE_NO_PARAM_RULES" >.lifecyclecheck.yaml || return 1
	run 1 "$BIN/lifecyclecheck" ./... && has "^$CLOSE_NO_PARAM_ERROR" && lacks 'freed by'
}

bogus_check_in_file() {
	cd "$(fixture vetmod)" && append_rule_line 'checks: [bogus]' || return 1
	run 1 "$BIN/lifecyclecheck" ./... && has "^$BOGUS_CHECK_ERROR" && lacks 'freed by' &&
		run 1 go vet -vettool="$BIN/lifecyclecheck" ./... && has "$BOGUS_CHECK_ERROR" && lacks 'freed by'
}

bogus_checks_flag() {
	cd "$(fixture vetmod)" || return 1
	local want='^lifecyclecheck: -checks: unknown check "bogus"'
	run 2 "$BIN/lifecyclecheck" -checks=bogus ./... && has "$want" && lacks 'freed by' &&
		run 1 go vet -vettool="$BIN/lifecyclecheck" -checks=all,-bogus ./... && has "$want" && lacks 'freed by'
}

vet_baseline() {
	# A baseline written by the standalone command holds go vet's and
	# lifecyclecheck-vet's findings too: nothing old is reported, a new bug is.
	cd "$(fixture vetmod)" || return 1
	run 0 "$BIN/lifecyclecheck" -write-baseline=lc-baseline.json ./... && [[ -s lc-baseline.json ]] || return 1
	run 0 go vet -vettool="$BIN/lifecyclecheck" -baseline=lc-baseline.json ./... && lacks 'freed by' &&
		run 0 env PATH="$BIN:$PATH" lifecyclecheck-vet -baseline=lc-baseline.json ./... && lacks 'freed by' || return 1
	printf '\n// Again frees c too.\nfunc Again(id string) {\n\tc := &Conn{ID: id}\n\tbyID[id] = c\n\tpool.Put(c)\n}\n' >>conns/conns.go
	run 1 go vet -vettool="$BIN/lifecyclecheck" -baseline=lc-baseline.json ./... || return 1
	[[ $(grep -c 'freed by' "$WORK/out") -eq 1 ]] && has 'conns/conns.go:[0-9]+:[0-9]+: c freed by pool.Put' ||
		{ echo "want exactly the new finding"; return 1; }
	run 1 go vet -vettool="$BIN/lifecyclecheck" -baseline=nope.json ./... && has 'lifecyclecheck: -baseline: open .*nope.json'
}

explain_check() {
	# -explain prints a check's documentation; -help names every check.
	run 0 "$BIN/lifecyclecheck" -explain undo && has '^undo: Failing path keeps the object it inserted' &&
		has '^How to fix:' && has '^How to silence:' && lacks '// want' &&
		run 2 "$BIN/lifecyclecheck" -explain nope && has 'no such check; want one of freed, closed, undo, partial, unregister' &&
		run 0 "$BIN/lifecyclecheck" -help && has '\(freed, closed, undo, partial, unregister\)' && has '^  -explain check'
}

checks_flag_accepted() {
	cd "$(fixture vetmod)" || return 1
	run 3 "$BIN/lifecyclecheck" -checks=all,-undo ./... && has "/$CONNS_FINDING" &&
		run 1 go vet -vettool="$BIN/lifecyclecheck" -checks=all,-undo ./... && has "^$CONNS_FINDING"
}

disable_in_rules_file() {
	# disable: [sync.Pool] in the rules file turns pool.Put off in both modes.
	cd "$(fixture vetmod)" && append_rule_line 'disable: [sync.Pool]' || return 1
	run 3 "$BIN/lifecyclecheck" ./... && has "/$APP_FINDING" && lacks 'pool.Put' &&
		run 1 go vet -vettool="$BIN/lifecyclecheck" ./... && has "^$APP_FINDING" && lacks 'pool.Put'
}

standalone_findings_exit_3() {
	cd "$(fixture vetmod)" || return 1
	run 3 "$BIN/lifecyclecheck" ./... &&
		has "/$APP_FINDING" && has "/$CONNS_FINDING" && lacks '/clean/'
}

standalone_clean_exit_0() {
	cd "$(fixture vetmod)" || return 1
	run 0 "$BIN/lifecyclecheck" ./clean/... && lacks .
}

standalone_json() {
	cd "$(fixture vetmod)" || return 1
	run 0 "$BIN/lifecyclecheck" -json ./... || return 1
	python3 - "$WORK/out" <<'EOF'
import json, sys
out = json.load(open(sys.argv[1]))
msgs = [d["message"] for d in out["example.com/vetmod/app"]["lifecyclecheck"]]
assert any(m.startswith("s freed by reaper.Release while still in index byName") for m in msgs), msgs
assert "example.com/vetmod/clean" not in out, out.keys()
print("json ok:", msgs)
EOF
}

standalone_fix() {
	cd "$(fixture vetmod)" || return 1
	run 0 "$BIN/lifecyclecheck" -fix -diff ./conns &&
		has '^\+[[:space:]]+delete\(byID, id\)$' || return 1
	# -diff only prints: the file is unchanged until -fix alone.
	grep -q 'delete(byID' conns/conns.go && { echo "-diff changed the file"; return 1; }
	"$BIN/lifecyclecheck" -fix ./conns
	echo "after -fix (exit $?):"
	cat conns/conns.go
	grep -A1 -E '^[[:space:]]+delete\(byID, id\)$' conns/conns.go | grep -q 'pool.Put(c)' &&
		run 0 "$BIN/lifecyclecheck" ./conns
}

suite_vet() {
	echo "== go vet and standalone"
	check "build lifecyclecheck" build_lifecyclecheck || return
	check "go vet: cross-package finding through the rules file, exit 1" vet_cross_package
	check "go vet: without the rules file the custom tree is unknown" vet_needs_rules_file
	check "go vet: -rules relative to the module root from a package dir" vet_rules_flag_relative_to_module_root
	check "go vet: malformed rules file gives FILE:LINE: problem once, exit not 0/3" vet_bad_rules_file
	check "standalone: unknown function in rules gives FILE:LINE, exit 1" standalone_bad_rules_file
	check "go vet: op: close naming no parameter gives FILE:LINE, exit 1" vet_close_without_param
	check "standalone: op: close naming no parameter gives FILE:LINE, exit 1" standalone_close_without_param
	check "both: checks: [bogus] in the rules file gives FILE:LINE, exit 1" bogus_check_in_file
	check "both: -checks=bogus is a bad flag (standalone exit 2, go vet 1) before any analysis" bogus_checks_flag
	check "standalone: -explain CHECK prints its documentation; -help names every check" explain_check
	check "go vet and lifecyclecheck-vet: -baseline reports only new findings" vet_baseline
	check "both: -checks=all,-undo is accepted" checks_flag_accepted
	check "both: disable: in the rules file turns a kind off" disable_in_rules_file
	check "standalone: findings exit 3" standalone_findings_exit_3
	check "standalone: clean packages exit 0" standalone_clean_exit_0
	check "standalone: -json output, exit 0" standalone_json
	check "standalone: -fix -diff shows and -fix applies the delete" standalone_fix
}

# --- adoption: versions, SARIF, baselines, tags, the GitHub Action, README --

# shellcheck source=e2e/adopt.sh
source "$ROOT/e2e/adopt.sh"

# --- golangci-lint ------------------------------------------------------------

GCL=$BIN/golangci-lint

build_golangci() {
	# The module under e2e/golangci is what golangci-lint custom would build.
	cd "$ROOT/e2e/golangci" && go build -o "$GCL" . && "$GCL" version
}

gcl() {
	GOLANGCI_LINT_CACHE=$WORK/gcl-cache "$GCL" run --output.text.print-issued-lines=false \
		--max-issues-per-linter=0 --max-same-issues=0 "$@"
}

gcl_report() {
	cd "$(fixture gclmod)" || return 1
	run 1 gcl ./... &&
		has '^conns/conns.go:22:[0-9]+: c freed by pool.Put while still in index byID .*\(lifecyclecheck\)$' &&
		lacks 'related information'
}

gcl_nolint() {
	cd "$(fixture gclmod)" || return 1
	run 1 gcl ./... && lacks '^conns/conns.go:(28|29):'
}

gcl_settings() {
	cd "$(fixture gclmod)" || return 1
	# The inline rule declares arena.Release, the rules-file arena.Recycle.
	run 1 gcl ./... &&
		has '^conns/conns.go:36:[0-9]+: c freed by arena.Release while still in index byID' &&
		has '^conns/conns.go:43:[0-9]+: c freed by arena.Recycle while still in index byID' || return 1
	# disable: [sync.Pool] removes the pool.Put finding only.
	run 1 gcl -c disable.golangci.yml ./... &&
		lacks 'pool.Put' && has 'arena.Release' && has 'arena.Recycle'
}

gcl_unknown_setting() {
	cd "$(fixture gclmod)" || return 1
	run 3 gcl -c unknown.golangci.yml ./... && has 'unknown field "rulez"'
}

gcl_bad_checks_setting() {
	cd "$(fixture gclmod)" || return 1
	run 3 gcl -c checks.golangci.yml ./... && has 'checks: unknown check "bogus"' && lacks 'freed by'
}

gcl_bad_rules_file() {
	cd "$(fixture gclmod)" && printf 'rules:\n  - func: example.com/gclmod/arena.Recycle\n    op: frees\n    object: x\n' >lint/lifecycle.yaml || return 1
	# golangci-lint exits 3 on any failure to run, 1 on issues.
	run 3 gcl ./... && has 'lint/lifecycle.yaml:3: unknown op "frees"' && lacks 'freed by'
}

gcl_fix() {
	cd "$(fixture gclmod)" || return 1
	run 0 gcl --fix ./... || return 1
	cat conns/conns.go
	# Each reported free now has the delete just before it; the suppressed
	# one is left alone.
	for free in 'pool.Put(c)' 'arena.Release(c)' 'arena.Recycle(c)'; do
		grep -B1 -xF $'\t'"$free" conns/conns.go | head -1 | grep -qF 'delete(byID, id)' ||
			{ echo "no delete before $free"; return 1; }
	done
	[[ $(grep -c 'delete(byID, id)' conns/conns.go) -eq 3 ]] || { echo "want 3 deletes"; return 1; }
	run 0 gcl ./... && lacks 'lifecyclecheck'
}

gcl_readme_settings() {
	# The README's .golangci.yml, exactly as printed.
	cd "$(fixture gclmod)" && readme_block golangci-settings >.golangci.yml || return 1
	cat .golangci.yml
	grep -q 'type: module' .golangci.yml || { echo "no golangci-settings block in README"; return 1; }
	run 1 gcl ./... &&
		has '^conns/conns.go:36:[0-9]+: c freed by arena.Release while still in index byID' &&
		has '^conns/conns.go:43:[0-9]+: c freed by arena.Recycle while still in index byID' && lacks 'pool.Put'
}

suite_golangci() {
	echo "== golangci-lint v2 module plugin"
	check "build custom golangci-lint with the plugin" build_golangci || return
	check "golangci-lint: the report, one issue per defect" gcl_report
	check "golangci-lint: //nolint:lifecyclecheck suppresses" gcl_nolint
	check "golangci-lint: inline rules, rules-file and disable reach the analyzer" gcl_settings
	check "golangci-lint: unknown settings key fails, exit 3" gcl_unknown_setting
	check "golangci-lint: unknown check in settings fails, exit 3" gcl_bad_checks_setting
	check "golangci-lint: malformed rules-file gives FILE:LINE, exit 3 (failure, not issues)" gcl_bad_rules_file
	check "golangci-lint: --fix applies the suggested deletes" gcl_fix
	check "golangci-lint: the README's settings example, as printed" gcl_readme_settings
}

# --- pre-commit ---------------------------------------------------------------

install_precommit() {
	command -v pre-commit >/dev/null && pre-commit --version && return
	if [[ $(id -u) -ne 0 ]]; then
		echo "pre-commit missing and not root: apt-get install -y pre-commit"
		return 1
	fi
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pre-commit >/dev/null &&
		pre-commit --version
}

# precommit_repo: a git repository holding the buggy fixture and a
# .pre-commit-config.yaml with both hooks from this repository at HEAD.
precommit_repo() {
	local dir=$WORK/precommit-repo rev
	rev=$(git -C "$ROOT" rev-parse HEAD) || return 1
	mkdir -p "$dir" && cp -R "$FIXTURES/precommit/." "$dir" && rm "$dir/store.go.fixed"
	cat >"$dir/.pre-commit-config.yaml" <<EOF
repos:
  - repo: $ROOT
    rev: $rev
    hooks:
      - id: lifecyclecheck
      - id: lifecyclecheck-vet
EOF
	git -C "$dir" init -q && git -C "$dir" add -A &&
		git -C "$dir" -c user.name=e2e -c user.email=e2e@example.invalid commit -qm bug
}

precommit() {
	# Hooks install with go install ./... in a fresh GOPATH; sharing the
	# module cache keeps that to the proxy's first download.
	cd "$WORK/precommit-repo" &&
		PRE_COMMIT_HOME=$CACHE/pre-commit GOMODCACHE=$(go env GOMODCACHE) pre-commit run --all-files --color=never
}

precommit_fails_on_bug() {
	precommit_repo || return 1
	run 1 precommit &&
		has '^lifecyclecheck\.+Failed' && has '^lifecyclecheck \(go vet\)\.+Failed' &&
		has 'store/store.go:17:[0-9]+: it freed by pool.Put while still in index byKey'
}

precommit_passes_on_fix() {
	cd "$WORK/precommit-repo" && cp "$FIXTURES/precommit/store.go.fixed" store/store.go && git add -A || return 1
	run 0 precommit &&
		has '^lifecyclecheck\.+Passed' && has '^lifecyclecheck \(go vet\)\.+Passed'
}

precommit_baseline() {
	# A module with existing findings adopts the hooks with a baseline:
	# first run and rerun pass, a new bug fails both hooks, with only itself.
	local dir=$WORK/precommit-baseline rev
	rev=$(git -C "$ROOT" rev-parse HEAD) || return 1
	mkdir -p "$dir" && cp -R "$FIXTURES/precommit/." "$dir" && rm "$dir/store.go.fixed" || return 1
	(cd "$dir" && "$BIN/lifecyclecheck" -write-baseline=.lifecyclecheck-baseline.json ./...) || return 1
	cat >"$dir/.pre-commit-config.yaml" <<EOF
repos:
  - repo: $ROOT
    rev: $rev
    hooks:
      - id: lifecyclecheck
        args: [-baseline=.lifecyclecheck-baseline.json, ./...]
      - id: lifecyclecheck-vet
        args: [-baseline=.lifecyclecheck-baseline.json, ./...]
EOF
	git -C "$dir" init -q && git -C "$dir" add -A &&
		git -C "$dir" -c user.name=e2e -c user.email=e2e@example.invalid commit -qm adopt || return 1
	local pc=(env PRE_COMMIT_HOME="$CACHE/pre-commit" GOMODCACHE="$(go env GOMODCACHE)" pre-commit run --all-files --color=never)
	cd "$dir" && run 0 "${pc[@]}" && has '^lifecyclecheck\.+Passed' && has '^lifecyclecheck \(go vet\)\.+Passed' || return 1
	echo "-- rerun" && run 0 "${pc[@]}" && has '^lifecyclecheck \(go vet\)\.+Passed' || return 1
	printf '\n// PutAgain frees it too.\nfunc PutAgain(key string) {\n\tit := &Item{}\n\tbyKey[key] = it\n\tpool.Put(it)\n}\n' >>store/store.go && git add -A || return 1
	echo "-- a new bug" && run 1 "${pc[@]}" &&
		has '^lifecyclecheck\.+Failed' && has '^lifecyclecheck \(go vet\)\.+Failed' &&
		lacks 'store/store.go:17:[0-9]+: it freed' && has 'store/store.go:[0-9]+:[0-9]+: it freed by pool.Put' ||
		{ echo "want the new bug only"; return 1; }
}

precommit_readme_config() {
	# The README's .pre-commit-config.yaml, with this repository for the
	# upstream URL and HEAD for the placeholder SHA.
	local dir=$WORK/precommit-readme rev
	rev=$(git -C "$ROOT" rev-parse HEAD) || return 1
	mkdir -p "$dir" && cp -R "$FIXTURES/precommit/." "$dir" && rm "$dir/store.go.fixed"
	readme_block precommit-config |
		sed -e "s|repo: https://github.com/lifecyclecheck/lifecyclecheck\$|repo: $ROOT|" \
			-e "s|rev: [0-9a-f]\{40\}|rev: $rev|" >"$dir/.pre-commit-config.yaml"
	cat "$dir/.pre-commit-config.yaml"
	grep -q "repo: $ROOT" "$dir/.pre-commit-config.yaml" && grep -q "rev: $rev" "$dir/.pre-commit-config.yaml" ||
		{ echo "README's config lost its repo or rev"; return 1; }
	git -C "$dir" init -q && git -C "$dir" add -A &&
		git -C "$dir" -c user.name=e2e -c user.email=e2e@example.invalid commit -qm bug || return 1
	cd "$dir" && run 1 env PRE_COMMIT_HOME="$CACHE/pre-commit" GOMODCACHE="$(go env GOMODCACHE)" \
		pre-commit run --all-files --color=never &&
		has '^lifecyclecheck \(go vet\)\.+Failed' &&
		has 'store/store.go:17:[0-9]+: it freed by pool.Put while still in index byKey'
}

suite_precommit() {
	echo "== pre-commit"
	check "install pre-commit" install_precommit || return
	check "pre-commit: both hooks fail on the bug" precommit_fails_on_bug
	check "pre-commit: both hooks with a baseline: pass, pass again, fail on a new bug only" precommit_baseline
	check "pre-commit: both hooks pass on the fix" precommit_passes_on_fix
	check "pre-commit: the README's config (go vet hook) fails on the bug" precommit_readme_config
}

# -----------------------------------------------------------------------------

start=$SECONDS
suites=("$@")
[[ ${#suites[@]} -gt 0 ]] || suites=(vet adopt golangci precommit)
for s in "${suites[@]}"; do
	case $s in
	vet) suite_vet ;;
	adopt) suite_adopt ;;
	golangci)
		[[ -x $BIN/lifecyclecheck ]] || check "build lifecyclecheck" build_lifecyclecheck
		suite_golangci
		;;
	precommit) suite_precommit ;;
	*)
		echo "unknown suite $s: want vet, adopt, golangci or precommit"
		exit 2
		;;
	esac
done
echo "e2e: $passed passed, $failed failed ($((SECONDS - start))s)"
for f in "${failures[@]}"; do echo "  failed: $f"; done
[[ $failed -eq 0 ]]
