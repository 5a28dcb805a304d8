#!/usr/bin/env bash
# Instructions per request of one steps variant, counted by valgrind (callgrind): the same on a busy machine as on a quiet one.
# Usage: bench/steps/instructions.sh <express|koa|fastify> <variant, e.g. bare or tracks-3> [measured requests, default 10000] [repo root]
# Prints the instructions executed per request over the measured requests only (collection is switched on
# after a warm-up of 5,000 requests and off when they are done), and how many mark-compacts (V8's full
# collections) fell in those requests (one adds 10 to 22 k to each) and in the last half of the warm-up (where
# they recur, as on Express, they are part of a request's cost); keeps the callgrind file for callgrind_annotate.
# WARMUP=<requests> (default 5000) lengthens the warm-up: after 5,000 requests V8 still compiles some of
# tracks-ab's functions inside the counted window (compiler work is counted, and shifts by ±1 k between two
# builds that inline differently); after 20,000 only the driver's own socket and stream functions still are.
# NODEFLAGS=--perf-basic-prof writes /tmp/perf-<pid>.map (the pid is printed), for bench/steps/annotate.mjs to name JIT code.
# VGFLAGS='--cache-sim=yes --branch-sim=yes' adds valgrind's cache and branch simulation (read with annotate.mjs --event I1mr).
# Node runs with an empty environment (env -i), so that a count does not depend on how the script was started:
# the environment decides whether V8's first mark-compact falls in the warm-up or in the counted requests, and so
# Koa's bare request read 81.2 or 92.3 k from a shell or under npm, and 81.2 to 103.8 k with one variable of 0 to 24
# bytes more (bench/README.md, "Counts that moved with how the run was started").
# Run `npm run build` first (tracks-ab is loaded from dist/). About 2 minutes a run on this machine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
framework=$1 variant=$2 count=${3:-10000} root=${4:-$(cd "$here/../.." && pwd)}
out=${TMPDIR:-/tmp}/callgrind.$framework.$variant.$$
fifo=$(mktemp -u) && mkfifo "$fifo"
# vgdb's pipes are named by this prefix, given to both sides: valgrind no longer sees $TMPDIR.
prefix=${TMPDIR:-/tmp}/vgdb-pipe
valgrind=$(command -v valgrind) node=$(command -v node)
trap 'rm -f "$fifo"' EXIT
# --single-threaded: the compiler and the garbage collector run on the main thread, so they are counted (and deterministic).
env -i "$valgrind" --tool=callgrind ${VGFLAGS:-} --smc-check=all-non-file --instr-atstart=no --vgdb-prefix="$prefix" --callgrind-out-file="$out" \
  "$node" ${NODEFLAGS:-} --single-threaded --hash-seed=1 --random-seed=1 "$here/instructions.mjs" "$root" "$framework" "$variant" "${WARMUP:-5000}" "$count" >"$fifo" 2>/dev/null &
pid=$!
while read -r line; do
  case $line in
    READY) callgrind_control --vgdb-prefix="$prefix" -i on "$pid" >/dev/null && kill -USR2 "$pid" ;;
    END) callgrind_control --vgdb-prefix="$prefix" -i off "$pid" >/dev/null ;;
    DONE*) read -r _ _ marks warm <<<"$line" ;;
  esac
done <"$fifo"
wait "$pid"
total=$(awk '/^totals:/ { print $2 }' "$out")
echo "$framework $variant: $((total / count)) instructions per request ($count requests; callgrind file $out; pid $pid; mark-compacts in them: ${marks:-unknown}; in the last half of the warm-up: ${warm:-unknown})"
