#!/usr/bin/env bash
# The run step of the lifecyclecheck GitHub Action (action.yml): installs
# lifecyclecheck from the action's own checkout and writes its findings as
# SARIF to a file. It uses the Go on PATH (actions/setup-go) and reads its
# inputs from the environment:
#
#   LIFECYCLECHECK_ACTION_PATH  the action's checkout (default: this script's repository)
#   INPUT_WORKING_DIRECTORY     where to run, the module to check (default: .)
#   INPUT_PACKAGES              package patterns, split on spaces (default: ./...)
#   INPUT_ARGS                  more flags, split on spaces, e.g. -rules=lint/rules.yaml
#   INPUT_SARIF_FILE            the SARIF file, relative to the working directory
#                               (default: lifecyclecheck.sarif)
#   INPUT_CACHE_DIR             the results cache (-cache), unless INPUT_ARGS names one;
#                               a leading ~/ is the home directory (default: the tool's own)
#
# It writes sarif-file (an absolute path) and findings (how many) to
# $GITHUB_OUTPUT when that is set, and prints them. It exits 0 with
# findings (code scanning shows them) and non-zero when lifecyclecheck
# cannot run (load errors, a bad rules file or flag).
set -euo pipefail

action_path=${LIFECYCLECHECK_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
workdir=${INPUT_WORKING_DIRECTORY:-.}
read -ra packages <<<"${INPUT_PACKAGES:-./...}"
read -ra args <<<"${INPUT_ARGS:-}"
sarif=${INPUT_SARIF_FILE:-lifecyclecheck.sarif}
cache=${INPUT_CACHE_DIR:-}
if [[ -n $cache && " ${args[*]} " != *" -cache"* ]]; then
	[[ $cache == "~/"* ]] && cache=$HOME/${cache#"~/"}
	args=(-cache="$cache" "${args[@]}")
fi

bin=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/lifecyclecheck-bin.XXXX")
(cd "$action_path" && GOBIN=$bin go install ./cmd/...)
"$bin/lifecyclecheck" -version

cd "$workdir"
case $sarif in
/*) ;;
*) sarif=$PWD/$sarif ;;
esac
"$bin/lifecyclecheck" -format=sarif "${args[@]}" "${packages[@]}" >"$sarif"
findings=$(grep -c '"ruleId"' "$sarif" || true)

echo "sarif-file=$sarif"
echo "findings=$findings"
if [[ -n ${GITHUB_OUTPUT:-} ]]; then
	{
		echo "sarif-file=$sarif"
		echo "findings=$findings"
	} >>"$GITHUB_OUTPUT"
fi
