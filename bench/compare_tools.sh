#!/bin/sh
# cli_call_ratio_vs_newman, cli_call_ratio_vs_bru: a fresh `keyway-cli call ENV GET /accounts` against
# `newman run` and `bru run` doing the same thing (form-encoded token request, then the GET with
# Bearer), all three against the Banking API of `keyway-cli sandbox` on loopback. Each run is a fresh
# process; runs are interleaved (keyway, newman, bru, keyway, ...) so machine load hits all three;
# medians. Ratios are keyway/tool, so values < 1 mean Keyway is faster.
#
# newman and @usebruno/cli are installed with npm into bench/tools/node_modules when missing
# (bench/tools/package.json); when that fails the figures print `n/a (reason)`. Never fails the build.
# Run inside tests/run-isolated.sh (make bench does) so a throwaway keyring holds the secret.
#
#   compare_tools.sh BUILD_DIR        BENCH_TOOL_RUNS (default 9), BENCH_PORT (default 0: a free port)
set -u
build=${1:-build}
runs=${BENCH_TOOL_RUNS:-9}
here=$(cd "$(dirname "$0")" && pwd)
tools="$here/tools"
. "$here/lib.sh"
cli="$build/app/keyway-cli"

na() { # na REASON: every figure of this script as n/a
    for f in cli_call_ratio_vs_newman cli_call_ratio_vs_bru; do echo "$f: n/a ($1)"; done
    exit 0
}
[ -x "$cli" ] || na "keyway-cli not built"

# --- the comparison tools ------------------------------------------------------------------------
newman="$tools/node_modules/.bin/newman"
bru="$tools/node_modules/.bin/bru"
if [ ! -x "$newman" ] || [ ! -x "$bru" ]; then
    command -v npm >/dev/null || na "npm missing"
    echo "# installing newman and @usebruno/cli into bench/tools/node_modules" >&2
    (cd "$tools" && timeout 600 npm install --no-audit --no-fund --loglevel=error >/dev/null 2>&1)
fi
newman_ok=1; bru_ok=1
[ -x "$newman" ] || { newman_ok=0; newman_why="npm install of newman failed"; }
[ -x "$bru" ] || { bru_ok=0; bru_why="npm install of @usebruno/cli failed"; }

# --- sandbox and environment --------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/keyway-compare.XXXXXX")
chmod 700 "$work"
export XDG_CONFIG_HOME="$work/config"
mkdir -p "$XDG_CONFIG_HOME"
sandbox_pid=""
name="bench-tools-$$"
cleanup() {
    "$cli" env rm "$name" >/dev/null 2>&1
    if [ -n "$sandbox_pid" ]; then
        kill "$sandbox_pid" 2>/dev/null
        wait "$sandbox_pid" 2>/dev/null
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 0' INT TERM
bench_sandbox banking --port "${BENCH_PORT:-0}" || na "sandbox did not start: $(head -c 200 "$work/sandbox.err")"
base=$(field base_url)
client_id=$(field client_id)
client_secret=$(field client_secret)
[ -n "$base" ] && [ -n "$client_id" ] && [ -n "$client_secret" ] || na "no banking line from the sandbox"

bench_env_add "$name" banking "$base" "$client_id" "$client_secret" \
    || na "env add failed: $(head -c 200 "$work/env.err")"

# --- the same exchange as a Postman collection and a Bruno collection --------------------------
# The demo credentials are throwaway sandbox values; they go to files in the private work
# directory (removed on exit), never onto a command line.
cat >"$work/postman_environment.json" <<EOF
{"name": "keyway-bench", "values": [
  {"key": "base", "value": "$base", "enabled": true},
  {"key": "client_id", "value": "$client_id", "enabled": true},
  {"key": "client_secret", "value": "$client_secret", "type": "secret", "enabled": true}]}
EOF
cat >"$work/postman_collection.json" <<'EOF'
{
  "info": {"name": "keyway-bench", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
  "item": [
    {
      "name": "token",
      "request": {
        "method": "POST",
        "header": [{"key": "Accept", "value": "application/json"}],
        "body": {"mode": "urlencoded", "urlencoded": [
          {"key": "client_id", "value": "{{client_id}}"},
          {"key": "client_secret", "value": "{{client_secret}}"},
          {"key": "grant_type", "value": "client_credentials"}]},
        "url": "{{base}}/token"
      },
      "event": [{"listen": "test", "script": {"type": "text/javascript", "exec": [
        "pm.test('token', () => pm.response.to.have.status(200));",
        "pm.collectionVariables.set('token', pm.response.json().access_token);"]}}]
    },
    {
      "name": "accounts",
      "request": {
        "method": "GET",
        "header": [{"key": "Accept", "value": "application/json"}],
        "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{token}}", "type": "string"}]},
        "url": "{{base}}/accounts"
      },
      "event": [{"listen": "test", "script": {"type": "text/javascript", "exec": [
        "pm.test('accounts', () => pm.response.to.have.status(200));"]}}]
    }
  ]
}
EOF
bruno="$work/bruno"
mkdir -p "$bruno/environments"
cat >"$bruno/bruno.json" <<'EOF'
{"version": "1", "name": "keyway-bench", "type": "collection", "ignore": ["node_modules", ".git"]}
EOF
cat >"$bruno/environments/bench.bru" <<EOF
vars {
  base: $base
  client_id: $client_id
  client_secret: $client_secret
}
EOF
cat >"$bruno/01-token.bru" <<'EOF'
meta {
  name: token
  type: http
  seq: 1
}

post {
  url: {{base}}/token
  body: formUrlEncoded
  auth: none
}

headers {
  Accept: application/json
}

body:form-urlencoded {
  client_id: {{client_id}}
  client_secret: {{client_secret}}
  grant_type: client_credentials
}

vars:post-response {
  token: res.body.access_token
}

assert {
  res.status: eq 200
}
EOF
cat >"$bruno/02-accounts.bru" <<'EOF'
meta {
  name: accounts
  type: http
  seq: 2
}

get {
  url: {{base}}/accounts
  body: none
  auth: bearer
}

headers {
  Accept: application/json
}

auth:bearer {
  token: {{token}}
}

assert {
  res.status: eq 200
}
EOF

run_keyway() { "$cli" call "$name" GET /accounts >/dev/null 2>"$work/keyway.err"; }
run_newman() {
    "$newman" run "$work/postman_collection.json" -e "$work/postman_environment.json" \
        --reporters cli >"$work/newman.out" 2>&1
}
run_bru() { (cd "$bruno" && "$bru" run --env bench >"$work/bru.out" 2>&1); }

# Warm-up and check that each tool really does the exchange (token, then 200 on /accounts).
run_keyway || na "keyway-cli call failed: $(head -c 200 "$work/keyway.err")"
if [ $newman_ok = 1 ] && ! run_newman; then newman_ok=0; newman_why="newman run failed: $(tail -c 300 "$work/newman.out" | tr '\n' ' ')"; fi
if [ $bru_ok = 1 ] && ! run_bru; then bru_ok=0; bru_why="bru run failed: $(tail -c 300 "$work/bru.out" | tr '\n' ' ')"; fi

now_ns() { date +%s%N; }
ms_since() { echo $((($(now_ns) - $1) / 1000000)); }
k=""; n=""; b=""
r=0
while [ $r -lt "$runs" ]; do
    t=$(now_ns); run_keyway; k="$k $(ms_since "$t")"
    if [ $newman_ok = 1 ]; then t=$(now_ns); run_newman; n="$n $(ms_since "$t")"; fi
    if [ $bru_ok = 1 ]; then t=$(now_ns); run_bru; b="$b $(ms_since "$t")"; fi
    r=$((r + 1))
done
median() { echo "$1" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
km=$(median "$k")
echo "cli_call_keyway_ms: $km"
if [ $newman_ok = 1 ]; then
    nm=$(median "$n")
    echo "newman_run_ms: $nm"
    awk -v a="$km" -v b="$nm" 'BEGIN { printf "cli_call_ratio_vs_newman: %.3f\n", a / b }'
else
    echo "cli_call_ratio_vs_newman: n/a ($newman_why)"
fi
if [ $bru_ok = 1 ]; then
    bm=$(median "$b")
    echo "bru_run_ms: $bm"
    awk -v a="$km" -v b="$bm" 'BEGIN { printf "cli_call_ratio_vs_bru: %.3f\n", a / b }'
else
    echo "cli_call_ratio_vs_bru: n/a ($bru_why)"
fi
