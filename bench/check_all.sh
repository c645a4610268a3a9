#!/bin/sh
# check_all_50_ratio: `keyway-cli check --all` over 50 sandbox environments (default --jobs) against the
# slowest single `keyway-cli check` among them, each a fresh process like a script would run it.
# Prints `name: value` lines; never fails the build. Run inside tests/run-isolated.sh (make bench does).
set -u
build=${1:-build}
count=${BENCH_CHECK_ENVS:-50}
cli="$build/app/keyway-cli"
[ -x "$cli" ] || { echo "check_all_50_ratio: n/a (keyway-cli not built)"; exit 0; }

work=$(mktemp -d "${TMPDIR:-/tmp}/keyway-checkall.XXXXXX")
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"
"$cli" sandbox --json >"$work/sandbox.jsonl" 2>"$work/sandbox.err" &
sandbox_pid=$!
trap 'kill $sandbox_pid 2>/dev/null; rm -rf "$work"' EXIT INT TERM
i=0
while ! grep -q '"provider":"banking"' "$work/sandbox.jsonl" 2>/dev/null; do
    i=$((i + 1)); [ $i -gt 100 ] && { echo "check_all_50_ratio: n/a (sandbox did not start)"; exit 0; }
    sleep 0.05
done
line=$(grep '"provider":"banking"' "$work/sandbox.jsonl")
field() { printf '%s' "$line" | sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
base=$(field base_url)
client_id=$(field client_id)
client_secret=$(field client_secret)

n=0
while [ $n -lt "$count" ]; do
    printf '%s\n' "$client_secret" | "$cli" env add "bench-$n" --provider banking --base-url "$base" \
        --set "client_id=$client_id" --secret client_secret >/dev/null 2>"$work/env.err" \
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
