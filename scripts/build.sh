#!/usr/bin/env bash
# Configures and builds meshproof into build/ (or build-asan/ with --sanitize, which
# turns on AddressSanitizer and UndefinedBehaviorSanitizer). Two parallel jobs: the
# machines this runs on have two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build
opts=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [ "${1:-}" = "--sanitize" ]; then
  dir=build-asan
  opts=(-DCMAKE_BUILD_TYPE=Debug -DMESHPROOF_SANITIZE=ON -DMESHPROOF_BUILD_BENCH=OFF -DMESHPROOF_BUILD_VIZ=OFF)
fi
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [ ! -f "$dir/CMakeCache.txt" ]; then
  cmake -S . -B "$dir" "${generator[@]}" "${opts[@]}" >/dev/null
fi
cmake --build "$dir" -j2
