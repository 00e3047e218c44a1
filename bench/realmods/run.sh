#!/usr/bin/env bash
# Runs lifecyclecheck -json ./... on every module of modules.txt and writes
# per-module output and the tables (see README.md beside this file).
#
#   bash bench/realmods/run.sh [-tool PATH] [-out DIR] [-j N] [-timeout SECS]
#                              [-modules FILE] [-only REGEX] [-- extra tool flags]
#
#   -tool     lifecyclecheck binary (default: build this checkout into OUT)
#   -out      output dir (default: $CORPUS/runs/DATE-COMMIT)
#   -j        modules analysed at once (default 1: one large module can use
#             over 10 GB, and timings are only comparable run alone)
#   -timeout  per-module limit on the analysis, seconds (default 1800)
#   -modules  module list (default: modules.txt beside this script)
#   -only     analyse only modules whose path matches this extended regex
#
# CORPUS (default /work/corpus) holds the writable module copies, in
# CORPUS/src/NAME@VERSION, made once and reused by later runs.
#
# Needs go, /usr/bin/time (Debian: time), timeout, and the Go module proxy.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
corpus=${CORPUS:-/work/corpus}
tool="" out="" jobs=1 limit=1800 list=$here/modules.txt only=""
extra=()
while [ $# -gt 0 ]; do
	case $1 in
	-tool) tool=$2; shift 2 ;;
	-out) out=$2; shift 2 ;;
	-j) jobs=$2; shift 2 ;;
	-timeout) limit=$2; shift 2 ;;
	-modules) list=$2; shift 2 ;;
	-only) only=$2; shift 2 ;;
	--) shift; extra=("$@"); break ;;
	*) echo "run.sh: unknown argument $1 (see the comment at the top)" >&2; exit 2 ;;
	esac
done

# The machine's own Go for every module (a toolchain line in a module's
# go.mod must not fetch another), and no go.work from around the copies.
export GOTOOLCHAIN=local GOWORK=off

if [ -z "$out" ]; then
	out=$corpus/runs/$(date +%Y%m%d-%H%M%S)-$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo nogit)
fi
mkdir -p "$out" "$corpus/src"
out=$(cd "$out" && pwd)
log=$out/run.log
say() { echo "$(date +%H:%M:%S) $*" | tee -a "$log"; }

if [ -z "$tool" ]; then
	tool=$out/lifecyclecheck
	(cd "$root" && go build -o "$tool" ./cmd/lifecyclecheck)
fi
tool=$(cd "$(dirname "$tool")" && pwd)/$(basename "$tool")
summarize=$out/summarize
(cd "$root" && go build -o "$summarize" ./bench/realmods/summarize)

say "tool $tool ($(sha256sum "$tool" | cut -c1-12)), out $out, -j $jobs, timeout ${limit}s, extra flags: ${extra[*]:-none}"
started=$(date +%s)

# NAME for a module path: github.com/ dropped, / turned into _.
name_of() { local p=${1#github.com/}; echo "${p//\//_}"; }

# prepare SEQ MODULE VERSION: fetch and copy the module, download its
# dependencies, count lines and packages. Writes OUT/NAME.meta; returns 1
# when the module cannot be analysed.
prepare() {
	local seq=$1 mod=$2 ver=$3 name dl dir src meta
	name=$(name_of "$mod")
	meta=$out/$name.meta
	src=$corpus/src/$name@$ver
	printf 'seq\t%s\nmodule\t%s\nversion\t%s\nname\t%s\ndir\t%s\n' "$seq" "$mod" "$ver" "$name" "$src" >"$meta"
	if [ ! -d "$src" ]; then
		if ! dl=$(go mod download -json "$mod@$ver" 2>"$out/$name.prep"); then
			printf 'status\tfetch-error\nnote\t%s\n' "$(sed -n 's/^\t"Error": "\(.*\)",\{0,1\}$/\1/p' <<<"${dl:-}" | head -1)" >>"$meta"
			return 1
		fi
		dir=$(sed -n 's/^\t"Dir": "\(.*\)",$/\1/p' <<<"$dl")
		rm -rf "$src.tmp"
		cp -r "$dir" "$src.tmp"
		chmod -R u+w "$src.tmp"
		# A replace by a local path (etcd's ../api) points outside the
		# module zip: drop it, so the required version is used instead.
		local r
		for r in $(cd "$src.tmp" && go mod edit -json | "$summarize" local-replaces); do
			(cd "$src.tmp" && go mod edit -dropreplace="$r")
			echo "${r%@*}" >>"$src.tmp/.realmods-dropped"
		done
		mv "$src.tmp" "$src"
	fi
	# The dependencies; a dropped replace's module by name, which also
	# writes the go.sum lines for its content that the zip lacks.
	local dropped=""
	if [ -f "$src/.realmods-dropped" ]; then
		dropped=$(cat "$src/.realmods-dropped")
		printf 'note\tlocal replaces dropped: %s\n' "$(echo $dropped)" >>"$meta"
	fi
	# shellcheck disable=SC2086 # one word per module
	if ! (cd "$src" && GOFLAGS="${GOFLAGS:-} -mod=mod" && export GOFLAGS &&
		go mod download && { [ -z "$dropped" ] || go mod download $dropped; }) >>"$out/$name.prep" 2>&1; then
		printf 'status\tprep-error\nnote\tgo mod download: %s\n' "$(tail -1 "$out/$name.prep")" >>"$meta"
		return 1
	fi
	printf 'lines\t%s\n' "$("$summarize" lines "$src")" >>"$meta"
	printf 'packages\t%s\n' "$(cd "$src" && go list -e ./... 2>>"$out/$name.prep" | wc -l)" >>"$meta"
	# Warm the build cache with the go list the driver runs (cgo
	# preprocessing, as pebble's zstd needs, is slow the first time only).
	(cd "$src" && go list -e -compiled -test -deps -export=false -pgo=off ./... >/dev/null 2>>"$out/$name.prep") || true
}

# analyse NAME: the tool on ./... in the module copy, timed.
analyse() {
	local name=$1 meta=$out/$1.meta src rc=0 wall rss
	src=$(sed -n 's/^dir\t//p' "$meta")
	(cd "$src" && /usr/bin/time -o "$out/$name.time" -f '%e %M' \
		timeout -k 60 "$limit" "$tool" -json "${extra[@]}" ./... >"$out/$name.json" 2>"$out/$name.err") || rc=$?
	read -r wall rss < <(tail -1 "$out/$name.time" 2>/dev/null) || true
	wall=${wall:-0} rss=${rss:-0}
	printf 'rc\t%s\nwall\t%s\nrss_kb\t%s\n' "$rc" "$wall" "$rss" >>"$meta"
	say "done    $name: exit $rc, ${wall}s, $((rss / 1024)) MB"
}

# Phase 1, sequential: fetch, copy, download dependencies, count.
names=()
seq=0
while read -r line; do
	line=${line%%#*}
	read -r spec _ <<<"$line" || true
	[ -z "${spec:-}" ] && continue
	mod=${spec%@*} ver=${spec##*@}
	seq=$((seq + 1)) # the row's place in the table, also under -only
	[ -n "$only" ] && ! grep -Eq -- "$only" <<<"$mod" && continue
	say "prepare $mod@$ver"
	if prepare "$seq" "$mod" "$ver"; then
		names+=("$(name_of "$mod")")
	else
		say "skip    $mod@$ver: $(sed -n 's/^note\t//p' "$out/$(name_of "$mod").meta" | tail -1)"
	fi
done <"$list"

# Phase 2: analyse, at most $jobs at once.
for name in "${names[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
	say "analyse $name"
	analyse "$name" &
done
wait || true

"$summarize" "$out"
say "total $(($(date +%s) - started))s; tables in $out/summary.tsv, $out/reports.txt"
column -t -s $'\t' "$out/summary.tsv" 2>/dev/null || cat "$out/summary.tsv"
