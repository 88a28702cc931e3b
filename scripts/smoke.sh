#!/usr/bin/env bash
# Real-window smoke test: start the app under Xvfb, wait until it says the map is drawn, take a
# screenshot, and fail if the process died or the screenshot is blank.
#   scripts/smoke.sh path/to/corridor-atlas [out.png]
set -euo pipefail
bin="$1"
out="${2:-target/smoke/screenshot.png}"
mkdir -p "$(dirname "$out")"
log="$(dirname "$out")/app.log"

display=":$(( (RANDOM % 400) + 200 ))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
cleanup() { kill "${app_pid:-}" 2>/dev/null || true; kill "$xvfb_pid" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done

# A throwaway HOME so the smoke test starts from defaults, not from a developer's settings.
home="$(mktemp -d)"
DISPLAY="$display" HOME="$home" XDG_RUNTIME_DIR=/tmp "$bin" >"$log" 2>&1 &
app_pid=$!

ready=""
for _ in $(seq 1 600); do
  if ! kill -0 "$app_pid" 2>/dev/null; then
    echo "smoke: the app exited before drawing the map; its output:" >&2
    cat "$log" >&2
    exit 1
  fi
  if grep -q "map ready" "$log"; then ready=1; break; fi
  sleep 0.1
done
if [ -z "$ready" ]; then
  echo "smoke: no 'map ready' within 60 s; app output:" >&2
  cat "$log" >&2
  exit 1
fi
# Give tiles rendered off the UI thread a moment to arrive, then look.
sleep 3
DISPLAY="$display" import -window root "$out"
kill -0 "$app_pid" 2>/dev/null || { echo "smoke: the app died after drawing" >&2; cat "$log" >&2; exit 1; }

colors=$(identify -format '%k' "$out")
size=$(identify -format '%wx%h' "$out")
echo "smoke: screenshot $out ($size, $colors distinct colours); $(grep 'map ready' "$log")"
if [ "$colors" -lt 500 ]; then
  echo "smoke: the screenshot looks blank ($colors colours)" >&2
  exit 1
fi

# `corridor-atlas FILE`: the app opens with a generated rail network imported (streamed in
# parts, drawn from tiles). Wait for the import to finish, and look again.
kill "$app_pid" 2>/dev/null || true
wait "$app_pid" 2>/dev/null || true
net="$(dirname "$out")/network.geojson"
"$bin" generate-network --features 3000 --vertices 90000 -o "$net" >/dev/null
home2="$(mktemp -d)"
DISPLAY="$display" HOME="$home2" XDG_RUNTIME_DIR=/tmp CORRIDOR_ATLAS_FRAME_TIMES=1 "$bin" "$net" >"$log" 2>&1 &
app_pid=$!
imported=""
for _ in $(seq 1 600); do
  if ! kill -0 "$app_pid" 2>/dev/null; then
    echo "smoke: the app exited while importing; its output:" >&2
    cat "$log" >&2
    exit 1
  fi
  if grep -q "imported" "$log"; then imported=1; break; fi
  sleep 0.1
done
if [ -z "$imported" ]; then
  echo "smoke: 'corridor-atlas FILE' did not import FILE within 60 s; app output:" >&2
  cat "$log" >&2
  exit 1
fi
sleep 3
out2="${out%.png}-network.png"
DISPLAY="$display" import -window root "$out2"
kill -0 "$app_pid" 2>/dev/null || { echo "smoke: the app died after importing" >&2; cat "$log" >&2; exit 1; }
echo "smoke: $(grep 'imported' "$log"); screenshot $out2"

# Frame times from the real window (CORRIDOR_ATLAS_FRAME_TIMES): pan the map over the imported
# network for about six seconds with the mouse, then report the app's own summary line.
DISPLAY="$display" xdotool mousemove 640 420 mousedown 1
for i in $(seq 1 60); do
  DISPLAY="$display" xdotool mousemove $(( 640 + (i % 20) * 8 - 80 )) $(( 420 + (i % 10) * 4 ))
  sleep 0.1
done
DISPLAY="$display" xdotool mouseup 1
sleep 0.5
kill -0 "$app_pid" 2>/dev/null || { echo "smoke: the app died while panning" >&2; cat "$log" >&2; exit 1; }
if grep -q "frame times:" "$log"; then
  echo "smoke: panning the network: $(grep 'frame times:' "$log" | tail -1)"
else
  echo "smoke: no frame-time line after panning; app output:" >&2
  cat "$log" >&2
  exit 1
fi
