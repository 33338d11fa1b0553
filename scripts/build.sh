#!/usr/bin/env bash
# Configures and builds meshproof into build/ (or build-asan/ with --sanitize, which
# turns on AddressSanitizer and UndefinedBehaviorSanitizer; build targets may follow
# it, else everything). Two parallel jobs: the machines this runs on have two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build
# -g1 (line tables and functions, enough for backtraces and sanitizer reports) instead
# of full debug info: Asio and Beast make -g translation units twice as slow to build.
opts=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG")
if [ "${1:-}" = "--sanitize" ]; then
  shift
  dir=build-asan
  opts=(-DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-g1" -DMESHPROOF_SANITIZE=ON -DMESHPROOF_BUILD_BENCH=OFF -DMESHPROOF_BUILD_VIZ=OFF)
fi
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [ ! -f "$dir/CMakeCache.txt" ]; then
  cmake -S . -B "$dir" "${generator[@]}" "${opts[@]}" >/dev/null
fi
cmake --build "$dir" -j2 ${1:+--target "$@"}
