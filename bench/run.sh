#!/bin/sh
# Prints one `name: value` line per figure (names in DESIGN.md). Never fails the build.
set -u
build=${1:-build}
here=$(dirname "$0")
echo "# keyway benchmarks ($(date -u +%FT%TZ), $(nproc) cores)"
"$here/startup.sh" "$build" || echo "startup: failed"
"$here/cli_call.sh" "$build" || echo "cli_call: failed"
