#!/bin/sh
# check_all_50_ratio: `keyway-cli check --all` over 50 sandbox environments (default --jobs) against the
# slowest single `keyway-cli check` among them, each a fresh process like a script would run it.
# Prints `name: value` lines; never fails the build. Run inside tests/run-isolated.sh (make bench does).
set -u
build=${1:-build}
. "$(dirname "$0")/lib.sh"
count=${BENCH_CHECK_ENVS:-50}
cli="$build/app/keyway-cli"
[ -x "$cli" ] || { echo "check_all_50_ratio: n/a (keyway-cli not built)"; exit 0; }

work=$(mktemp -d "${TMPDIR:-/tmp}/keyway-checkall.XXXXXX")
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"
sandbox_pid=""
trap '[ -n "$sandbox_pid" ] && kill $sandbox_pid 2>/dev/null; rm -rf "$work"' EXIT INT TERM
bench_sandbox banking || { echo "check_all_50_ratio: n/a (sandbox did not start)"; exit 0; }
base=$(field base_url)
client_id=$(field client_id)
client_secret=$(field client_secret)

n=0
while [ $n -lt "$count" ]; do
    bench_env_add "bench-$n" banking "$base" "$client_id" "$client_secret" \
        || { echo "check_all_50_ratio: n/a (env add failed: $(cat "$work/env.err"))"; exit 0; }
    n=$((n + 1))
done

now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
"$cli" check --all >/dev/null 2>&1 || { echo "check_all_50_ratio: n/a (check --all failed)"; exit 0; }
all=""
slowest=0
round=0
while [ $round -lt 3 ]; do
    t0=$(now_ms); "$cli" check --all >/dev/null 2>&1; t1=$(now_ms)
    all="$all $((t1 - t0))"
    round=$((round + 1))
done
n=0
while [ $n -lt "$count" ]; do
    t0=$(now_ms); "$cli" check "bench-$n" >/dev/null 2>&1; t1=$(now_ms)
    [ $((t1 - t0)) -gt $slowest ] && slowest=$((t1 - t0))
    n=$((n + 1))
done
a=$(echo $all | tr ' ' '\n' | median)
echo "check_all_50_ms: $a"
echo "check_single_slowest_ms: $slowest"
awk -v a="$a" -v s="$slowest" 'BEGIN { printf "check_all_50_ratio: %.2f\n", (s > 0 ? a / s : 0) }'
