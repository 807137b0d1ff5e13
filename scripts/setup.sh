#!/usr/bin/env bash
# Installs what Radiolens needs on Debian 12: apt packages, Dear ImGui sources
# (apt-get source) and the pinned npm packages. Idempotent and quiet when done.
#   scripts/setup.sh pictures   also unpacks the photographs scripts/domain_check.mjs shows the models
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

# Unpacks one folder of a Debian source package into DEST (under the ignored
# .deps/): Dear ImGui's .cpp files and DCMTK's 12-bit IJG JPEG library (built
# into the page's 12-bit lossy JPEG decoder) live only in source packages.
fetch_source() {  # package, folder inside its source tree ("" for all), destination
  local package=$1 folder=$2 dest=$3
  # Debian lists binary packages only by default; a deb-src twin of the
  # existing source list lets apt-get source fetch from the same mirror.
  if ! apt-get source --print-uris "$package" >/dev/null 2>&1; then
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
      sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
        | sudo_if_needed tee /etc/apt/sources.list.d/radiolens-deb-src.sources >/dev/null
    else
      sed -n 's/^deb /deb-src /p' /etc/apt/sources.list \
        | sudo_if_needed tee /etc/apt/sources.list.d/radiolens-deb-src.list >/dev/null
    fi
    sudo_if_needed apt-get update -qq
  fi
  echo "setup: fetching $package sources${folder:+ ($folder)} into $dest"
  local work
  work=$(mktemp -d)
  if [ "$(id -u)" -eq 0 ]; then chown _apt "$work"; fi  # root's apt downloads as _apt
  (cd "$work" && apt-get source -qq --download-only "$package" >/dev/null && dpkg-source -x --no-check ./*.dsc src >/dev/null)
  mkdir -p "$(dirname "$dest")" && rm -rf "$dest" && mv "$work/src${folder:+/$folder}" "$dest" && rm -rf "$work"
}
[ -f .deps/imgui/imgui.cpp ] || fetch_source imgui "" .deps/imgui
[ -f .deps/ijg12/jdapimin.c ] || fetch_source dcmtk dcmjpeg/libijg12 .deps/ijg12

# Everyday pictures (scikit-image's sample photographs) from the Debian package's files, unpacked, not
# installed: the domain check's measurement shows them to every model as images none was trained on.
if [ "${1:-}" = pictures ] && [ ! -f .deps/pictures/camera.png ]; then
  echo "setup: unpacking python3-skimage's sample pictures into .deps/pictures"
  work=$(mktemp -d)
  if [ "$(id -u)" -eq 0 ]; then chown _apt "$work"; fi
  (cd "$work" && apt-get download -qq python3-skimage >/dev/null && dpkg-deb -x ./*.deb tree)
  mkdir -p .deps/pictures
  find "$work/tree" -path '*/skimage/data/*' \( -name '*.png' -o -name '*.jpg' \) -exec cp {} .deps/pictures/ \;
  rm -rf "$work"
fi

# onnxruntime-node's install script downloads CUDA binaries; skip it (CPU build is bundled).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error
fi
