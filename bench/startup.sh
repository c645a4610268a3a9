#!/bin/sh
# startup_ratio: keyway's first paint against a bare Qt Widgets window, both launched the same way
# (process start → first paint → quit), median of N runs each, interleaved so machine load hits both.
set -u
build=$1
runs=${RUNS:-7}
export KEYWAY_EXIT_AFTER_FIRST_PAINT=1 QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
bare=""; keyway=""
i=0
while [ $i -lt "$runs" ]; do
    bare="$bare $(ms "$build/bench/bench_startup_bare")"
    keyway="$keyway $(ms "$build/app/keyway")"
    i=$((i + 1))
done
b=$(echo $bare | tr ' ' '\n' | median)
k=$(echo $keyway | tr ' ' '\n' | median)
echo "startup_bare_ms: $b"
echo "startup_ms: $k"
awk -v k="$k" -v b="$b" 'BEGIN { printf "startup_ratio: %.2f\n", (b > 0 ? k / b : 0) }'
rss=$(KEYWAY_REPORT_RSS=1 "$build/app/keyway" 2>/dev/null | sed -n 's/^rss_mb: //p')
echo "idle_rss_mb: ${rss:-n/a}"
