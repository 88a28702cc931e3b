#!/usr/bin/env bash
# Crash recovery, end to end: start the real app under Xvfb with a fresh HOME, draw an
# alignment with real mouse clicks (xdotool), wait for the autosave, kill the process with
# SIGKILL, start it again and check that it offers the unsaved work back.
#   scripts/recovery_test.sh path/to/corridor-atlas
set -euo pipefail
bin="$1"
work="$(mktemp -d)"
home="$work/home"
mkdir -p "$home"
display=":$(( (RANDOM % 400) + 600 ))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
cleanup() { kill -9 "${app_pid:-}" 2>/dev/null || true; kill "$xvfb_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
export DISPLAY="$display" HOME="$home" XDG_RUNTIME_DIR=/tmp

wait_for() { # pattern log seconds
  for _ in $(seq 1 $(( $3 * 10 ))); do grep -q "$1" "$2" && return 0; sleep 0.1; done
  echo "recovery: no '$1' within $3 s; app output:" >&2; cat "$2" >&2; return 1
}

"$bin" >"$work/run1.log" 2>&1 &
app_pid=$!
wait_for "map ready" "$work/run1.log" 60
sleep 1
# No window manager under Xvfb: give the window the keyboard explicitly.
win=$(xdotool search --name "Corridor Atlas" | head -1)
xdotool windowfocus --sync "$win" 2>/dev/null || xdotool windowfocus "$win"
# Draw tool, two clicks on the map, Enter: one new alignment (the example has five).
xdotool mousemove 600 420
xdotool key --window "$win" d
xdotool mousemove 560 430 click 1
sleep 0.6
xdotool mousemove 700 470 click 1
sleep 0.6
xdotool key --window "$win" Return
sleep 4   # the recovery copy is written 2 s after the last change
kill -9 "$app_pid"
wait "$app_pid" 2>/dev/null || true

"$bin" >"$work/run2.log" 2>&1 &
app_pid=$!
wait_for "recovery copy found" "$work/run2.log" 60
line=$(grep "recovery copy found" "$work/run2.log")
echo "recovery: after SIGKILL the next start says: $line"
case "$line" in
  *"(6 alignments)"*) echo "recovery: the drawn alignment came back" ;;
  *) echo "recovery: expected the 5 example alignments plus the drawn one" >&2; exit 1 ;;
esac
