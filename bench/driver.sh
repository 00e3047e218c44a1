#!/usr/bin/env bash
# Measures the package-at-a-time driver (docs/driver.md) in one run each:
# on the standard library and on prometheus (bench/realmods's copy), the
# wall time and peak RSS of bench/floor, of the whole-program driver
# (lifecyclecheck at OLD, a commit before the driver; optional), and of
# lifecyclecheck cold (empty cache) and warm (rerun, nothing changed);
# on grpc, a rerun after editing one file of a leaf package.
#
#   bash bench/driver.sh [-old COMMIT] [-skip-floor]
#
# TARGETS="std" (or "prometheus", or "") limits the first part.
#
# Needs /usr/bin/time (Debian: time), the Go module proxy, and the
# realmods corpus for prometheus (bash bench/realmods/run.sh makes it).
set -euo pipefail
export GOTOOLCHAIN=local GOWORK=off # each module as released, with the machine's Go
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${CORPUS:-/work/corpus}
old="" floor=1
while [ $# -gt 0 ]; do
	case $1 in
	-old) old=$2; shift 2 ;;
	-skip-floor) floor=0; shift ;;
	*) echo "driver.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/lifecyclecheck" "$root/cmd/lifecyclecheck"
go build -o "$work/floor" "$root/bench/floor"
if [ -n "$old" ]; then
	git -C "$root" worktree add -q --detach "$work/old" "$old"
	(cd "$work/old" && go build -o "$work/whole" ./cmd/lifecyclecheck)
	git -C "$root" worktree remove --force "$work/old"
fi
mkdir -p "$work/std"
(cd "$work/std" && go mod init scratch/std >/dev/null 2>&1)
prom=$(ls -d "$corpus"/src/prometheus_prometheus@* 2>/dev/null | head -1)
grpc=$(go mod download -json google.golang.org/grpc@v1.85.0 | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
cp -r "$grpc" "$work/grpc" && chmod -R u+w "$work/grpc"
(cd "$work/grpc" && go mod download)

measure() { # label dir command... -> one table line
	local label=$1 dir=$2
	shift 2
	local t
	t=$(cd "$dir" && /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1) || true
	read -r s kb <<<"$t"
	printf '%-6s %-22s %9s %11d\n' "$target" "$label" "$s" $((kb / 1024))
}

printf '%-6s %-22s %9s %11s\n' target run wall_s peak_rss_MB
for target in ${TARGETS:-std prometheus}; do
	dir=$work/std pattern=std
	if [ "$target" = prometheus ]; then
		[ -n "$prom" ] || { echo "prometheus: no copy under $corpus/src (run bench/realmods/run.sh -only prometheus)"; continue; }
		dir=$prom pattern=./...
		export GOFLAGS="${GOFLAGS:-} -mod=mod" # as bench/realmods/run.sh prepares it
	fi
	[ "$floor" = 1 ] && measure floor "$dir" "$work/floor" "$pattern"
	[ -n "$old" ] && measure whole-program "$dir" "$work/whole" "$pattern"
	measure "lifecyclecheck cold" "$dir" "$work/lifecyclecheck" -cache="$work/cache-$target" "$pattern"
	measure "lifecyclecheck warm" "$dir" "$work/lifecyclecheck" -cache="$work/cache-$target" "$pattern"
done
target=grpc
[ "$floor" = 1 ] && measure floor "$work/grpc" "$work/floor" ./...
measure "lifecyclecheck cold" "$work/grpc" "$work/lifecyclecheck" -cache="$work/cache-grpc" ./...
measure "lifecyclecheck warm" "$work/grpc" "$work/lifecyclecheck" -cache="$work/cache-grpc" ./...
# A leaf package (one no other package of the module imports), then a
# package many import, each edited at the end of one file.
echo "// an edit" >>"$work/grpc/interop/client/client.go"
measure "edit leaf, rerun" "$work/grpc" "$work/lifecyclecheck" -cache="$work/cache-grpc" ./...
echo "// an edit" >>"$work/grpc/internal/grpcsync/event.go"
measure "edit grpcsync, rerun" "$work/grpc" "$work/lifecyclecheck" -cache="$work/cache-grpc" ./...
