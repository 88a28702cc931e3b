#!/usr/bin/env bash
# Crash recovery, end to end, with two windows: start the real app under Xvfb with a fresh
# HOME, draw with real mouse clicks (xdotool), start a second instance while the first runs
# (it must not offer the first one's live work), draw in it too, SIGKILL both, start again and
# check that BOTH unsaved works are offered. Waits poll for files and log lines with a
# timeout; nothing depends on a fixed sleep being long enough.
#   scripts/recovery_test.sh path/to/corridor-atlas    (KEEP=1 keeps the logs and copies)
set -euo pipefail
bin="$1"
work="$(mktemp -d)"
home="$work/home"
mkdir -p "$home"
recovery_dir="$home/.local/share/corridor-atlas/recovery"
display=":$(( (RANDOM % 400) + 600 ))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  kill "$xvfb_pid" 2>/dev/null || true
  [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 1 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
export DISPLAY="$display" HOME="$home" XDG_RUNTIME_DIR=/tmp
unset XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME

wait_for() { # pattern log seconds
  for _ in $(seq 1 $(( $3 * 10 ))); do grep -q "$1" "$2" && return 0; sleep 0.1; done
  echo "recovery: no '$1' within $3 s; app output:" >&2; cat "$2" >&2; return 1
}

wait_for_copy() { # pid seconds: this instance's recovery copy exists
  for _ in $(seq 1 $(( $2 * 10 ))); do
    compgen -G "$recovery_dir/recovery-$1-*.geojson" >/dev/null && return 0
    sleep 0.1
  done
  echo "recovery: instance $1 wrote no recovery copy within $2 s" >&2
  ls -la "$recovery_dir" >&2 || true
  return 1
}

window_of() { # known windows to skip...: the new window, raised and focused (no window
  # manager under Xvfb, and winit sets no _NET_WM_PID to search by)
  local win=""
  for _ in $(seq 1 100); do
    win=$(xdotool search --name "Corridor Atlas" 2>/dev/null | grep -vxF -e 0 "${@/#/-e}" | tail -1 || true)
    [ -n "$win" ] && break
    sleep 0.1
  done
  [ -n "$win" ] || { echo "recovery: no new Corridor Atlas window" >&2; return 1; }
  xdotool windowraise "$win"
  xdotool windowfocus --sync "$win" 2>/dev/null || xdotool windowfocus "$win"
  echo "$win"
}

draw() { # window, then x,y pairs: the draw tool, one click per vertex, Enter
  local win="$1"; shift
  xdotool mousemove 600 420
  xdotool key --window "$win" d
  for xy in "$@"; do
    xdotool mousemove "${xy%,*}" "${xy#*,}" click 1
    sleep 0.6 # two clicks closer in time would be a double click (zoom)
  done
  xdotool key --window "$win" Return
}

# First window: one new alignment (the example has five).
"$bin" >"$work/run1.log" 2>&1 &
pid1=$!; pids+=("$pid1")
wait_for "map ready" "$work/run1.log" 60
win1=$(window_of)
draw "$win1" 560,430 700,470
wait_for_copy "$pid1" 30

# Second window while the first still runs: it must not offer the first one's copy.
"$bin" >"$work/run2.log" 2>&1 &
pid2=$!; pids+=("$pid2")
wait_for "map ready" "$work/run2.log" 60
if grep -q "recovery copy found" "$work/run2.log"; then
  echo "recovery: the second window offered the live first window's work:" >&2
  cat "$work/run2.log" >&2; exit 1
fi
win2=$(window_of "$win1")
draw "$win2" 520,380 640,400
wait_for_copy "$pid2" 30
[ "$(compgen -G "$recovery_dir/recovery-*.geojson" | wc -l)" -eq 2 ] || {
  echo "recovery: expected one copy per window:" >&2; ls -la "$recovery_dir" >&2; exit 1; }
# How many alignments each window's copy holds (whether a window started with the example
# depends on whether the first had already saved its settings).
count() { grep -o '"corridor_atlas_id"' "$recovery_dir"/recovery-"$1"-*.geojson | wc -l; }
n1=$(count "$pid1"); n2=$(count "$pid2")

kill -9 "$pid1" "$pid2"
wait "$pid1" 2>/dev/null || true
wait "$pid2" 2>/dev/null || true

"$bin" >"$work/run3.log" 2>&1 &
pid3=$!; pids+=("$pid3")
wait_for "recovery copy found" "$work/run3.log" 60
for _ in $(seq 1 50); do
  [ "$(grep -c "recovery copy found" "$work/run3.log")" -ge 2 ] && break
  sleep 0.1
done
echo "recovery: after SIGKILL of both windows the next start says:"
grep "recovery copy found" "$work/run3.log"
grep -q "recovery copy found ($n1 alignments).*recovery-$pid1-" "$work/run3.log" || {
  echo "recovery: the first window's work ($n1 alignments) was not offered" >&2; exit 1; }
grep -q "recovery copy found ($n2 alignments).*recovery-$pid2-" "$work/run3.log" || {
  echo "recovery: the second window's work ($n2 alignments) was not offered" >&2; exit 1; }
echo "recovery: both windows' unsaved work came back"
