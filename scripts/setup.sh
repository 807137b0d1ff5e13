#!/usr/bin/env bash
# Installs what Radiolens needs on Debian 12: apt packages, Dear ImGui sources
# (apt-get source) and the pinned npm packages. Idempotent and quiet when done.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(
  build-essential cmake ninja-build pkg-config dpkg-dev
  emscripten node-acorn                       # wasm toolchain; emcc needs acorn
  libstb-dev nlohmann-json3-dev libcli11-dev libssl-dev
  libtorch-dev libonnx-dev libprotobuf-dev protobuf-compiler
  python3-torch                               # bench/train_step.py: the PyTorch reference
  libgtest-dev zlib1g-dev                     # tests build 16-bit PNG fixtures with zlib
  libdcmtk-dev libopenjp2-7-dev               # native DICOM: DCMTK, and OpenJPEG for JPEG 2000
  dcmtk libgdcm-tools                         # bench/dicom.mjs: dcm2pnm, and gdcmconv for JPEG 2000
  chromium chromium-driver
)
imgui_dir=.deps/imgui                         # ignored; core .cpp files live only in the source package

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -f "$imgui_dir/imgui.cpp" ]; then
  # Debian lists binary packages only by default; a deb-src twin of the
  # existing source list lets apt-get source fetch imgui from the same mirror.
  if ! apt-get source --print-uris imgui >/dev/null 2>&1; then
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
      sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
        | sudo_if_needed tee /etc/apt/sources.list.d/radiolens-deb-src.sources >/dev/null
    else
      sed -n 's/^deb /deb-src /p' /etc/apt/sources.list \
        | sudo_if_needed tee /etc/apt/sources.list.d/radiolens-deb-src.list >/dev/null
    fi
    sudo_if_needed apt-get update -qq
  fi
  echo "setup: fetching Dear ImGui sources into $imgui_dir"
  work=$(mktemp -d)
  if [ "$(id -u)" -eq 0 ]; then chown _apt "$work"; fi  # root's apt downloads as _apt
  (cd "$work" && apt-get source -qq --download-only imgui >/dev/null && dpkg-source -x --no-check ./*.dsc src >/dev/null)
  mkdir -p "$(dirname "$imgui_dir")" && rm -rf "$imgui_dir" && mv "$work/src" "$imgui_dir" && rm -rf "$work"
fi

# onnxruntime-node's install script downloads CUDA binaries; skip it (CPU build is bundled).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error
fi
