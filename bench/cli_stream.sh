#!/bin/sh
# cli_stream_1gb_ratio_vs_curl, cli_stream_peak_rss_mb: `keyway-cli call` fetching a 1 GB reply from nginx
# on loopback to stdout, against curl doing the same (token from the sandbox, then the GET), interleaved;
# peak memory of the keyway-cli process from the kernel's accounting (getrusage of the child).
# Prints `name: value` lines; never fails the build. Run inside tests/run-isolated.sh (make bench does).
set -u
build=${1:-build}
. "$(dirname "$0")/lib.sh"
runs=${BENCH_STREAM_RUNS:-3}
mb=${BENCH_STREAM_MB:-1024}
cli="$build/app/keyway-cli"
[ -x "$cli" ] || { echo "cli_stream_1gb_ratio_vs_curl: n/a (keyway-cli not built)"; exit 0; }
for tool in nginx curl python3; do
    command -v $tool >/dev/null || [ -x /usr/sbin/$tool ] || { echo "cli_stream_1gb_ratio_vs_curl: n/a ($tool missing)"; exit 0; }
done
nginx=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d "${TMPDIR:-/tmp}/keyway-stream.XXXXXX")
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$work/www" "$work/nginx"
sandbox_pid=""
nginx_pid=""
cleanup() {
    [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

# A JSON array of records, like a large export: separators every ~100 bytes, as real replies have.
python3 - "$work/www/big.json" "$mb" <<'PY'
import sys
path, mb = sys.argv[1], int(sys.argv[2])
record = b'{"id":%010d,"brand":"VISA","country":"GB","status":"active","note":"line break"},\n'
with open(path, "wb") as out:
    out.write(b"[")
    block = b"".join(record % i for i in range(10000))
    total = mb * 1000 * 1000
    while out.tell() + len(block) < total:
        out.write(block)
    out.write(b'{"id":-1}]\n')
PY

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/nginx/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $work/nginx;
    proxy_temp_path $work/nginx;
    fastcgi_temp_path $work/nginx;
    uwsgi_temp_path $work/nginx;
    scgi_temp_path $work/nginx;
    sendfile on;
    server {
        listen 127.0.0.1:$port;
        root $work/www;
        default_type application/json;
    }
}
CONF
"$nginx" -p "$work/nginx" -c "$work/nginx/nginx.conf" 2>"$work/nginx/start.err" &
nginx_pid=$!

bench_sandbox oauth2-client || { echo "cli_stream_1gb_ratio_vs_curl: n/a (sandbox did not start)"; exit 0; }
sandbox_base=$(field base_url)
token_url="$sandbox_base$(field token_url)"
client_id=$(field client_id)
client_secret=$(field client_secret)
base="http://127.0.0.1:$port"

name="stream-$$"
bench_env_add "$name" oauth2-client "$base" "$client_id" "$client_secret" \
    --set "token_url=$token_url" --set client_auth=body \
    || { echo "cli_stream_1gb_ratio_vs_curl: n/a (env add failed: $(cat "$work/env.err"))"; exit 0; }
curl -sf -o /dev/null "$base/big.json" || { echo "cli_stream_1gb_ratio_vs_curl: n/a (nginx did not serve: $(cat "$work/nginx/start.err" "$work/nginx/error.log" 2>/dev/null | tail -2))"; exit 0; }

# Interleaved, timed and measured by one Python parent: wall time per run, and the peak RSS the kernel
# recorded for each keyway-cli child.
python3 - "$cli" "$name" "$token_url" "$client_id" "$client_secret" "$base" "$runs" "$work/www/big.json" <<'PY'
import json, os, resource, subprocess, sys, time
cli, env, token_url, client_id, client_secret, base, runs, path = sys.argv[1:9]
size = os.path.getsize(path)

def keyway():
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.monotonic()
    with open(os.devnull, "wb") as sink:
        code = subprocess.call([cli, "call", env, "GET", "/big.json"], stdout=sink, stderr=subprocess.DEVNULL)
    return time.monotonic() - t, code

def curl():
    t = time.monotonic()
    token = subprocess.run(["curl", "-s", "-H", "Accept: application/json", "--data-urlencode", "client_id=" + client_id,
                            "--data-urlencode", "client_secret=" + client_secret, "--data", "grant_type=client_credentials",
                            token_url], capture_output=True).stdout
    access = json.loads(token)["access_token"]
    code = subprocess.call(["curl", "-s", "-o", os.devnull, "-H", "Authorization: Bearer " + access, base + "/big.json"])
    return time.monotonic() - t, code

k, c, failed = [], [], False
for _ in range(int(runs)):
    kt, kc = keyway()
    ct, cc = curl()
    failed = failed or kc != 0 or cc != 0
    k.append(kt); c.append(ct)
k.sort(); c.sort()
km, cm = k[len(k) // 2], c[len(c) // 2]
# ru_maxrss of RUSAGE_CHILDREN is the largest child's peak: only keyway-cli's children are big, curl's are small
# and are measured apart below.
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print("cli_stream_bytes: %d" % size)
print("cli_stream_keyway_s: %.3f" % km)
print("cli_stream_curl_s: %.3f" % cm)
if failed:
    print("cli_stream_1gb_ratio_vs_curl: n/a (a run failed)")
else:
    print("cli_stream_1gb_ratio_vs_curl: %.2f" % (km / cm if cm > 0 else 0))
print("cli_stream_peak_rss_mb: %.1f" % (peak_kb / 1024.0))
PY
"$cli" env rm "$name" >/dev/null 2>&1
