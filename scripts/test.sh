#!/usr/bin/env bash
# Quick start, command two: install what is needed, build, and run every test:
# the whole suite on the normal build, then again under AddressSanitizer +
# UndefinedBehaviorSanitizer. The sanitized build compiles while the normal suite
# runs (that suite is mostly live runs waiting on real time). The sanitized pass
# leaves out what the normal pass has just checked and instrumentation adds nothing
# to: the long accuracy run (a million simulated requests), the variants that must
# fail, the determinism reruns, and the live runs (real-time expectations; the
# security tests of the live sidecar do run sanitized).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
sanitize=1
[ "${MESHPROOF_SKIP_SANITIZERS:-0}" = "1" ] && sanitize=0
asan_build_pid=""
if [ "$sanitize" = 1 ]; then
  nice -n 10 scripts/build.sh --sanitize > build-asan.log 2>&1 &
  asan_build_pid=$!
fi
status=0
(cd build && ctest -j2 --output-on-failure --timeout 300) || status=$?
if [ "$sanitize" = 1 ]; then
  if ! wait "$asan_build_pid"; then
    cat build-asan.log
    echo "test.sh: the sanitized build failed" >&2
    exit 1
  fi
  [ "$status" -eq 0 ] || exit "$status"
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest -j2 --output-on-failure --timeout 600 \
       -E 'MM1QueueMatchesTheory|^scenario_variant_|^scenario_same_seed|^scenario_different_seed')
fi
exit "$status"
