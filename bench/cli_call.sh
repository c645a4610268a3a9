#!/bin/sh
# cli_call_ratio_vs_curl: a fresh `keyway-cli call` (process start, keychain read, token request,
# one GET, print) against two curl processes doing the same (token + GET), both against the
# embedded sandbox's Banking API on loopback. Prints `name: value` lines; never fails the build.
# Run inside tests/run-isolated.sh (make bench does) so a throwaway keyring holds the secret.
set -u
build=${1:-build}
. "$(dirname "$0")/lib.sh"
runs=${BENCH_RUNS:-20}
cli="$build/app/keyway-cli"
[ -x "$cli" ] || { echo "cli_call: keyway-cli not built"; exit 0; }
command -v curl >/dev/null || { echo "cli_call: curl missing"; exit 0; }

work=$(mktemp -d "${TMPDIR:-/tmp}/keyway-bench.XXXXXX")
export XDG_CONFIG_HOME="$work/config"
mkdir -p "$XDG_CONFIG_HOME"
sandbox_pid=""
trap '[ -n "$sandbox_pid" ] && kill $sandbox_pid 2>/dev/null; rm -rf "$work"' EXIT INT TERM
bench_sandbox banking || { echo "cli_call: sandbox did not start"; exit 0; }
base=$(field base_url)
client_id=$(field client_id)
client_secret=$(field client_secret)

name="bench-$$"
bench_env_add "$name" banking "$base" "$client_id" "$client_secret" \
    || { echo "cli_call: env add failed: $(cat "$work/env.err")"; exit 0; }
"$cli" call "$name" GET /accounts >/dev/null 2>&1 || { echo "cli_call: warm-up call failed"; exit 0; }

now_ms() { echo $(($(date +%s%N) / 1000000)); }

curl_pair() {
    token=$(curl -s -H 'Accept: application/json' --data-urlencode "client_id=$client_id" \
        --data-urlencode "client_secret=$client_secret" --data "grant_type=client_credentials" "$base/token" \
        | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
    curl -s -H "Authorization: Bearer $token" "$base/accounts" >/dev/null
}

# Interleaved so both see the same machine load.
cli_total=0
curl_total=0
n=0
while [ $n -lt "$runs" ]; do
    t0=$(now_ms); "$cli" call "$name" GET /accounts >/dev/null 2>&1; t1=$(now_ms)
    curl_pair; t2=$(now_ms)
    cli_total=$((cli_total + t1 - t0))
    curl_total=$((curl_total + t2 - t1))
    n=$((n + 1))
done
"$cli" env rm "$name" >/dev/null 2>&1
awk -v a="$cli_total" -v b="$curl_total" -v n="$runs" 'BEGIN {
    printf "cli_call_ms: %.1f\ncurl_pair_ms: %.1f\ncli_call_ratio_vs_curl: %.2f\n", a / n, b / n, (b > 0 ? a / b : 0) }'
