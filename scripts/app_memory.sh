#!/usr/bin/env bash
# Memory of the real app with a large network, after browsing (issue 20: "≤ 2.5× the file in
# the app after browsing"). A measurement, not a check: CI does not run it.
#   scripts/app_memory.sh path/to/corridor-atlas network.geojson
# Runs the app under Xvfb twice with a throwaway HOME: once with FILE on its command line (it
# imports it), once without (the baseline: the bundled atlas and its tile caches alone). Each
# run waits for the map (and for the import's "imported" line), then browses for about 20 s
# with xdotool — wheel zooms to ~12 at a few places and back out, drags, arrow-key pans — so
# the basemap and large-layer tile caches fill, sampling VmRSS from /proc/PID/status every
# 0.25 s. Prints, per run: RSS idle (after the import), RSS after browsing and the peak
# (VmHWM); then the network's share = (with − without) / file size, idle, after browsing and
# at the peak. Use a release build.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: scripts/app_memory.sh BIN FILE" >&2
  exit 2
fi
bin="$1"
file="$2"
for tool in Xvfb xdotool awk; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "app_memory: '$tool' is missing (apt-get install xvfb xdotool)" >&2
    exit 2
  }
done
[ -x "$bin" ] || { echo "app_memory: $bin is not an executable" >&2; exit 2; }
[ -f "$file" ] || { echo "app_memory: $file is not a file" >&2; exit 2; }
file_bytes=$(stat -c %s "$file")
dir=target/app_memory
mkdir -p "$dir"

display=":$(( (RANDOM % 400) + 200 ))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
cleanup() {
  kill "${sampler_pid:-}" 2>/dev/null || true
  kill "${app_pid:-}" 2>/dev/null || true
  kill "$xvfb_pid" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
x() { DISPLAY="$display" xdotool "$@"; }

# status_kb PID FIELD: a kB field of /proc/PID/status (0 if gone).
status_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# Wheel notches at (X, Y): button 4 zooms in, 5 out; each notch is half a zoom level.
wheel() {
  local px="$1" py="$2" button="$3" notches="$4"
  x mousemove "$px" "$py"
  for _ in $(seq 1 "$notches"); do x click "$button"; sleep 0.12; done
}
drag() {
  x mousemove "$1" "$2" mousedown 1
  x mousemove "$3" "$4"
  sleep 0.1
  x mousemove "$5" "$6" mouseup 1
  sleep 0.4
}

# browse: about 20 s of zooms to street level in three places, drags and key pans.
browse() {
  for win in $(x search --name "Corridor Atlas" 2>/dev/null); do
    x windowfocus "$win" 2>/dev/null || true
  done
  for place in "560 420" "760 360" "640 520"; do
    # shellcheck disable=SC2086
    set -- $place
    wheel "$1" "$2" 4 14 # seven levels in: ~12 from the start view
    sleep 1
    drag "$1" "$2" $(( $1 + 150 )) $(( $2 + 60 )) $(( $1 + 300 )) $(( $2 + 120 ))
    for key in Left Left Up Right Down; do x key "$key"; sleep 0.3; done
    sleep 1
    wheel "$1" "$2" 5 14
    sleep 0.5
  done
  x key minus
  sleep 2
}

# run NAME [FILE]: start, wait, sample, browse; writes NAME.rss (ms since start, kB per line)
# and NAME.result ("idle_kb after_kb peak_kb").
run() {
  local name="$1" input="${2:-}" log="$dir/$1.log" rss="$dir/$1.rss" home
  home="$(mktemp -d)"
  # shellcheck disable=SC2086
  DISPLAY="$display" HOME="$home" XDG_RUNTIME_DIR=/tmp "$bin" $input >"$log" 2>&1 &
  app_pid=$!
  (
    start=$(date +%s%3N)
    while kill -0 "$app_pid" 2>/dev/null; do
      echo "$(( $(date +%s%3N) - start )) $(status_kb "$app_pid" VmRSS)"
      sleep 0.25
    done
  ) >"$rss" &
  sampler_pid=$!
  local want="map ready"
  [ -n "$input" ] && want="imported"
  local seen=""
  for _ in $(seq 1 1200); do
    grep -q "$want" "$log" && { seen=1; break; }
    kill -0 "$app_pid" 2>/dev/null || { echo "app_memory: the app exited; log:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$seen" ] || { echo "app_memory: no '$want' within 120 s; log:" >&2; cat "$log" >&2; exit 1; }
  # Let the first tiles settle, then read the idle figure.
  sleep 4
  local idle; idle=$(status_kb "$app_pid" VmRSS)
  browse
  sleep 2
  local after peak
  after=$(status_kb "$app_pid" VmRSS)
  peak=$(status_kb "$app_pid" VmHWM)
  kill "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  kill "$sampler_pid" 2>/dev/null || true
  wait "$sampler_pid" 2>/dev/null || true
  if [ -n "$input" ]; then grep "imported" "$log"; fi
  echo "$idle $after $peak" >"$dir/$name.result"
}

run with "$file"
run without
read -r w_idle w_after w_peak <"$dir/with.result"
read -r b_idle b_after b_peak <"$dir/without.result"
mb() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k * 1024 / 1e6 }'; }
share() { awk -v a="$1" -v b="$2" -v f="$file_bytes" 'BEGIN { printf "%.2f", (a - b) * 1024 / f }'; }
echo "file: $file ($(awk -v f="$file_bytes" 'BEGIN { printf "%.1f MB", f / 1e6 }'))"
printf '%-8s %-10s %-16s %-10s\n' "run" "idle" "after browsing" "peak"
printf '%-8s %-10s %-16s %-10s\n' "with" "$(mb "$w_idle")" "$(mb "$w_after")" "$(mb "$w_peak")"
printf '%-8s %-10s %-16s %-10s\n' "without" "$(mb "$b_idle")" "$(mb "$b_after")" "$(mb "$b_peak")"
printf '%-8s %-10s %-16s %-10s\n' "share" "$(share "$w_idle" "$b_idle")x" \
  "$(share "$w_after" "$b_after")x" "$(share "$w_peak" "$b_peak")x"
echo "(share = (with - without) / file size; target after browsing: <= 2.5x; samples in $dir/*.rss)"
