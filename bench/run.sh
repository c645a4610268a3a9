#!/bin/sh
# Prints one `name: value` line per figure (names in docs/performance.md). Never fails the build.
set -u
build=${1:-build}
here=$(dirname "$0")
echo "# keyway benchmarks ($(date -u +%FT%TZ), $(nproc) cores)"
"$here/startup.sh" "$build" || echo "startup: failed"
"$here/cli_call.sh" "$build" || echo "cli_call: failed"
"$here/cli_stream.sh" "$build" || echo "cli_stream: failed"
"$here/check_all.sh" "$build" || echo "check_all: failed"
if [ -x "$build/bench/bench_concurrency" ]; then
    "$build/bench/bench_concurrency" || echo "concurrency: failed"
else
    echo "concurrent_token_requests: n/a (bench_concurrency not built)"
    echo "request_overhead_ms: n/a (bench_concurrency not built)"
fi
"$here/compare_tools.sh" "$build" || echo "compare_tools: failed"
if [ -x "$build/bench/bench_inspector" ]; then
    QT_QPA_PLATFORM=offscreen "$build/bench/bench_inspector" 2>/dev/null || echo "inspector: failed"
else
    echo "inspector_20mb_s: n/a (bench_inspector not built)"
fi
