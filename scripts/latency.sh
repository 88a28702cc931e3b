#!/usr/bin/env bash
# Input latency of the real window, idle and during an import (issue: "the UI first").
#   scripts/latency.sh path/to/corridor-atlas [network.geojson] [presses]
# Starts the app under Xvfb twice with CORRIDOR_ATLAS_FRAME_TIMES=1: once idle, once importing
# the network given on its command line (default: the realistic 3M-vertex network, generated
# into target/latency/ if missing). Each time it presses an arrow key with xdotool every
# 0.25 s, noting the wall time just before, and reads from the app's log when the frame that
# handled each press was on screen ("input frame shown at <unix µs>": the start of the next
# frame, which eframe begins after painting and swapping the previous one). Latency = that
# time − the send time: it includes xdotool's start (a few ms, the same in both runs).
# Prints median, p95 and max per run and the ratio of the medians.
set -euo pipefail
bin="$1"
dir=target/latency
mkdir -p "$dir"
net="${2:-$dir/network-realistic.geojson}"
presses="${3:-24}"
if [ ! -e "$net" ]; then
  "$bin" generate-network --shape realistic -o "$net" >/dev/null
fi

display=":$(( (RANDOM % 400) + 200 ))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
cleanup() { kill "${app_pid:-}" 2>/dev/null || true; kill "$xvfb_pid" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done

now_us() { date +%s%6N; }

# run NAME [FILE]: start the app, wait for the map, press keys, print the latencies (ms).
run() {
  local name="$1" file="${2:-}" log="$dir/$1.log" sent="$dir/$1.sent"
  local home; home="$(mktemp -d)"
  : >"$sent"
  # shellcheck disable=SC2086
  DISPLAY="$display" HOME="$home" XDG_RUNTIME_DIR=/tmp CORRIDOR_ATLAS_FRAME_TIMES=1 \
    "$bin" $file >"$log" 2>&1 &
  app_pid=$!
  for _ in $(seq 1 600); do
    grep -q "map ready" "$log" && break
    kill -0 "$app_pid" 2>/dev/null || { echo "latency: the app exited; log:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.05
  done
  # No window manager under Xvfb: give the window the keyboard focus ourselves.
  for win in $(DISPLAY="$display" xdotool search --name "Corridor Atlas" 2>/dev/null); do
    DISPLAY="$display" xdotool windowfocus "$win" 2>/dev/null || true
  done
  DISPLAY="$display" xdotool mousemove 640 420
  sleep 0.5
  local during=0
  for i in $(seq 1 "$presses"); do
    if [ $(( i % 2 )) -eq 0 ]; then key=Left; else key=Right; fi
    now_us >>"$sent"
    DISPLAY="$display" xdotool key "$key"
    sleep 0.25
  done
  if [ -n "$file" ] && ! grep -q "imported" "$log"; then during=1; fi
  sleep 0.5
  kill "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  if [ -n "$file" ] && [ "$during" -ne 1 ]; then
    echo "latency: the import ended before the last press (a bigger network is needed for a fair 'during')" >&2
  fi
  # For each send time, the first handled-frame time at or after it.
  awk '/^input frame shown at / { print $5 }' "$log" | sort -n >"$dir/$name.done"
  # A press whose frame is not seen before the next press is counted as lost, never matched
  # to the next press's frame (that would report the press interval as the latency).
  awk 'NR == FNR { done[n++] = $1; next }
       { sent[m++] = $1 }
       END {
         for (k = 0; k < m; k++) {
           t = sent[k]; limit = (k + 1 < m) ? sent[k + 1] : t + 2000000
           while (j < n && done[j] < t) j++
           if (j < n && done[j] < limit) { printf "%.1f\n", (done[j] - t) / 1000; j++ }
           else lost++
         }
         if (lost) printf "%d presses without a handled frame before the next press\n", lost > "/dev/stderr"
       }' \
    "$dir/$name.done" "$sent" | sort -n >"$dir/$name.ms"
}

stats() {
  awk '{ v[NR] = $1 } END {
         if (NR == 0) { print "no samples"; exit 1 }
         m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
         r = int(0.95 * NR + 0.999); if (r < 1) r = 1
         printf "%d presses, median %.1f ms, p95 %.1f ms, max %.1f ms\n", NR, m, v[r], v[NR] }' "$1"
}
median() { awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }' "$1"; }

run idle
run import "$net"
echo "latency idle:          $(stats "$dir/idle.ms")"
echo "latency during import: $(stats "$dir/import.ms")"
awk -v a="$(median "$dir/idle.ms")" -v b="$(median "$dir/import.ms")" \
  'BEGIN { printf "ratio of medians (import / idle): %.2f\n", b / a }'
