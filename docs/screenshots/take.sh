#!/bin/sh
# Usage: tests/run-isolated.sh env QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" docs/screenshots/take.sh build/app/keyway OUTDIR
# inside run-isolated + xvfb-run
set -x
APP=$1; OUT=$2
$APP & pid=$!
sleep 4
import -window root $OUT/01-start.png
python3 "$(dirname "$0")/xkey.py" ctrl+r
sleep 3
import -window root $OUT/02-run.png
python3 "$(dirname "$0")/xkey.py" ctrl+n
sleep 2
import -window root $OUT/03-new.png
kill $pid
