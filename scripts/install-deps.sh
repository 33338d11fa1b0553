#!/usr/bin/env bash
# Installs the Debian 12 packages meshproof needs, idempotently: packages already
# present are left alone and apt-get runs only when something is missing.
set -euo pipefail
packages=(
  cmake ninja-build g++ pkg-config
  libsimgrid-dev libboost-dev libboost-graph-dev libssl-dev libgoogle-perftools-dev
  nlohmann-json3-dev libyaml-cpp-dev libgtest-dev libgmock-dev libbenchmark-dev
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev
  curl python3  # the live tests: curl as a real client, report checks
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} Debian packages present"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
