#!/bin/sh
# Prints one `name: value` line per figure (see DESIGN.md). Never fails the build.
set -u
build=${1:-build}
echo "# keyway benchmarks ($(date -u +%FT%TZ), $(nproc) cores)"
