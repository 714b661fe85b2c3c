#!/usr/bin/env bash
# Start a frozen (or installed) QA Monitor on a virtual X display, time it to a visible
# main window, save a screenshot and close it.
#   installer/linux/smoke_xvfb.sh [APP] [DATABASE] [SCREENSHOT]
# APP defaults to dist/qa-monitor/qa-monitor. Needs xvfb, xdotool, openbox, bc, and
# ImageMagick's import or a Python with PySide6 for the screenshot.
# DISPLAY_NUM (default 71) picks the display. Run it twice: the second start is the warm one.
set -euo pipefail
app=${1:-dist/qa-monitor/qa-monitor}
db=${2:-}
shot=${3:-qa-monitor-xvfb.png}
num=${DISPLAY_NUM:-71}
export DISPLAY=":$num"
unset QT_QPA_PLATFORM
Xvfb "$DISPLAY" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 1
openbox >/dev/null 2>&1 &
wm=$!
trap 'kill $wm $xvfb 2>/dev/null || true' EXIT
sleep 0.5
started=$(date +%s.%N)
"$app" ${db:+"$db"} >/tmp/qa-monitor-xvfb.log 2>&1 &
pid=$!
# The main window's title is exactly "QA Monitor" (dialogs have their own titles).
if ! window=$(timeout "${WAIT_S:-60}" xdotool search --sync --onlyvisible --name '^QA Monitor$' | head -1) || [ -z "$window" ]; then
    echo "No main window within ${WAIT_S:-60} s; visible windows: $(xdotool search --onlyvisible --name . getwindowname %@ 2>/dev/null | tr '\n' ',')"
    kill "$pid" 2>/dev/null || true
    exit 1
fi
shown=$(date +%s.%N)
printf 'Main window visible after %.2f s (pid %s)\n' "$(echo "$shown - $started" | bc)" "$pid"
sleep 2  # let the first screen paint its data
if command -v import >/dev/null; then
    import -window root "$shot"
else
    QT_QPA_PLATFORM=xcb python3 -c 'import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv[:1])
QGuiApplication.primaryScreen().grabWindow(0).save(sys.argv[1])' "$shot"
fi
echo "Screenshot: $shot"
xdotool windowclose "$window" 2>/dev/null || true
sleep 3
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
