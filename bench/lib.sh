# Sourced by the bench scripts (`. "$here/lib.sh"`): the embedded sandbox they measure against and the demo
# environment they add to it. Uses the caller's $cli (keyway-cli) and $work (its private directory).

# bench_sandbox PROVIDER [ARGS...]: starts `keyway-cli sandbox --json ARGS` in the background (its pid in
# $sandbox_pid: the caller's trap stops it) and waits up to 5 s until it lists PROVIDER, whose line is then
# $sandbox_line. Returns 1 when the sandbox did not start; $work/sandbox.err says why.
bench_sandbox() {
    provider=$1
    shift
    "$cli" sandbox "$@" --json >"$work/sandbox.jsonl" 2>"$work/sandbox.err" &
    sandbox_pid=$!
    tries=0
    while ! grep -q "\"provider\":\"$provider\"" "$work/sandbox.jsonl" 2>/dev/null; do
        tries=$((tries + 1))
        [ $tries -gt 100 ] && return 1
        sleep 0.05
    done
    sandbox_line=$(grep "\"provider\":\"$provider\"" "$work/sandbox.jsonl")
}

# field NAME: a string member of $sandbox_line (base_url, or a demo credential such as client_id).
field() { printf '%s' "$sandbox_line" | sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }

# bench_env_add NAME PROVIDER BASE_URL CLIENT_ID CLIENT_SECRET [ARGS...]: `keyway-cli env add` with the secret
# on stdin (never on a command line) and ARGS (more --set). Non-zero on failure; $work/env.err says why.
bench_env_add() {
    env_name=$1 env_provider=$2 env_base=$3 env_client_id=$4 env_secret=$5
    shift 5
    printf '%s\n' "$env_secret" | "$cli" env add "$env_name" --provider "$env_provider" --base-url "$env_base" \
        --set "client_id=$env_client_id" "$@" --secret client_secret >/dev/null 2>"$work/env.err"
}
