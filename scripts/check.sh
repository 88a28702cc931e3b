#!/usr/bin/env bash
# Every test and check, exactly what CI runs (.ci/run calls this script).
#   ./scripts/check.sh            everything
#   SKIP_APT=1 ./scripts/check.sh do not try to install system packages
# On a fresh Debian/Ubuntu machine it installs what the tests need (Xvfb for the real-window
# smoke test, Mesa's software Vulkan/GL for egui_kittest snapshots, ImageMagick for
# screenshots, GDAL's ogrinfo to check exported files) when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

need_pkgs=()
command -v Xvfb >/dev/null || need_pkgs+=(xvfb xauth)
command -v import >/dev/null || need_pkgs+=(imagemagick)
command -v xdotool >/dev/null || need_pkgs+=(xdotool)
command -v ogrinfo >/dev/null || need_pkgs+=(gdal-bin)
command -v pdfinfo >/dev/null || need_pkgs+=(poppler-utils) # the PDF deck test reads decks with pdfinfo/pdftoppm
[ -e /usr/share/vulkan/icd.d/lvp_icd.x86_64.json ] || [ -e /usr/share/vulkan/icd.d/lvp_icd.json ] || need_pkgs+=(mesa-vulkan-drivers libvulkan1)
# Libraries winit/glow load at run time (dlopen), by soname → Debian package.
for lib_pkg in libGL.so.1:libgl1 libEGL.so.1:libegl1 libX11-xcb.so.1:libx11-xcb1 libXcursor.so.1:libxcursor1 \
               libXi.so.6:libxi6 libXrandr.so.2:libxrandr2 libxkbcommon-x11.so.0:libxkbcommon-x11-0; do
  ldconfig -p | grep -q "${lib_pkg%%:*}" || need_pkgs+=("${lib_pkg##*:}")
done
[ -e /usr/lib/x86_64-linux-gnu/dri/swrast_dri.so ] || ls /usr/lib/*/dri/*swrast* >/dev/null 2>&1 || need_pkgs+=(libgl1-mesa-dri)
if [ ${#need_pkgs[@]} -gt 0 ] && [ -z "${SKIP_APT:-}" ]; then
  step "installing system packages: ${need_pkgs[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

export CARGO_INCREMENTAL=0
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"

step "cargo fmt --check"
cargo fmt --all -- --check

step "the domain crate has no GUI or HTTP crate in its dependency tree"
# rusqlite is allowed: SQLite is a file format (GeoPackage exports), not a GUI or HTTP crate.
forbidden='^(egui|eframe|walkers|ureq|image|winit|wgpu|reqwest|egui_extras|egui_plot) '
if cargo tree -p corridor-domain --edges normal,build --prefix none --format '{p}' | grep -E "$forbidden"; then
  echo "corridor-domain depends on a GUI/HTTP crate (above)"; exit 1
fi

step "unsafe code only in src/app/allocator.rs (the workspace lint denies it elsewhere)"
if grep -rn --include='*.rs' 'unsafe' src crates tests benches | grep -v '^src/app/allocator.rs:'; then
  echo "unsafe outside src/app/allocator.rs (above)"; exit 1
fi

step "the command line builds and runs without the GUI (cargo build --no-default-features)"
cargo build --no-default-features --bin corridor-atlas
target/debug/corridor-atlas measure tests/fixtures/cli/corridor.geojson >/dev/null

step "cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings

step "cargo test (unit, integration, egui_kittest UI tests, doc tests)"
mkdir -p target
cargo test --workspace 2>&1 | tee target/test-output.log

step "benchmarks compile and run once (cargo bench -- --test)"
cargo bench --bench startup -- --test
cargo bench --bench basemap -- --test
cargo bench --bench measure -- --test
cargo bench --bench ledger -- --test
cargo bench --bench suggest -- --test
cargo bench --bench network -- --test
cargo bench --bench zigzag -- --test

step "real-window smoke test under Xvfb"
cargo build --bin corridor-atlas
scripts/smoke.sh target/debug/corridor-atlas

step "crash recovery end to end (draw with xdotool, SIGKILL, restart)"
scripts/recovery_test.sh target/debug/corridor-atlas

echo
# One closing line for the whole run: the sum of every test binary's result line.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i) ~ /^passed/) p += $(i-1); if ($(i) ~ /^failed/) f += $(i-1) } }
     END { printf "all checks passed\ntests: %d passed, %d failed\n", p, f }' target/test-output.log
