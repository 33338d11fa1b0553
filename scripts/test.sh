#!/usr/bin/env bash
# Quick start, command two: install what is needed, build, and run every test:
# the whole suite on the normal build, then again under AddressSanitizer +
# UndefinedBehaviorSanitizer, less the long accuracy run (a million simulated
# requests, which the normal build has just checked).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
(cd build && ctest -j2 --output-on-failure --timeout 300)
if [ "${MESHPROOF_SKIP_SANITIZERS:-0}" != "1" ]; then
  scripts/build.sh --sanitize
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest -j2 --output-on-failure --timeout 600 -E 'MM1QueueMatchesTheory')
fi
