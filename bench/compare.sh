#!/usr/bin/env bash
# Compares lifecyclecheck, cold (-cache=off), with the buildssa-only floor
# (bench/floor, under go/analysis's whole-program checker) on the standard
# library and on google.golang.org/grpc, in one run: wall time and peak RSS
# of each, and their ratio. Since the package-at-a-time driver (commit
# dba4f6b) this compares drivers as much as analyses; the analysis's own
# cost over SSA construction is `go test ./analyzer -run '^$' -bench .`.
# Needs /usr/bin/time (Debian: time) and the Go module proxy for grpc.
#
#   bash bench/compare.sh [runs]
set -euo pipefail
runs=${1:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/lifecyclecheck" "$root/cmd/lifecyclecheck"
go build -o "$work/floor" "$root/bench/floor"

# std from a scratch module; grpc in its own module (from the module
# cache), so that every one of its packages loads with its own go.sum.
mkdir -p "$work/std"
(cd "$work/std" && go mod init scratch/std >/dev/null 2>&1)
grpc=$(go mod download -json google.golang.org/grpc@v1.85.0 | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
(cd "$grpc" && go mod download)

measure() { # dir tool pattern -> "seconds kilobytes"
	local dir=$1 tool=$2 pattern=$3 flags=()
	[ "$tool" = lifecyclecheck ] && flags=(-cache=off)
	(cd "$dir" && /usr/bin/time -f "%e %M" "$work/$tool" "${flags[@]}" "$pattern" 2>&1 >/dev/null | tail -1)
}

printf '%-6s %-14s %9s %11s\n' target tool wall_s peak_rss_MB
for target in std grpc; do
	dir=$work/std pattern=std
	[ "$target" = grpc ] && dir=$grpc pattern=./...
	for i in $(seq "$runs"); do
		read -r ft fm < <(measure "$dir" floor "$pattern")
		read -r lt lm < <(measure "$dir" lifecyclecheck "$pattern")
		printf '%-6s %-14s %9s %11d\n' "$target" floor "$ft" $((fm / 1024))
		printf '%-6s %-14s %9s %11d\n' "$target" lifecyclecheck "$lt" $((lm / 1024))
		awk -v a="$lt" -v b="$ft" -v c="$lm" -v d="$fm" -v t="$target" \
			'BEGIN { printf "%-6s ratio          %8.2fx %10.2fx\n", t, a / b, c / d }'
	done
done
