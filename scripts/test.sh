#!/usr/bin/env bash
# Quick start, command two: install what is needed, build, and run every test on the
# normal build, then the sans-I/O core's suites (label "core": every mesh/ concern
# but live mode) again under AddressSanitizer + UndefinedBehaviorSanitizer; that
# build compiles while the normal suite runs (mostly live runs waiting on real time).
# Both builds of everything would not fit CI's 30 minutes on two cores; run the whole
# suite sanitized with MESHPROOF_SANITIZE_ALL=1 (it leaves out the long accuracy run,
# the variants that must fail, the determinism reruns and the real-time live runs,
# which the normal pass has just checked). MESHPROOF_SKIP_SANITIZERS=1 skips the pass.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
sanitize=1
[ "${MESHPROOF_SKIP_SANITIZERS:-0}" = "1" ] && sanitize=0
asan_targets=(core_tests)
asan_tests=(-L core)
if [ "${MESHPROOF_SANITIZE_ALL:-0}" = "1" ]; then
  asan_targets=()
  asan_tests=(-E 'MM1QueueMatchesTheory|^scenario_variant_|^scenario_same_seed|^scenario_different_seed')
fi
asan_build_pid=""
if [ "$sanitize" = 1 ]; then
  nice -n 10 scripts/build.sh --sanitize "${asan_targets[@]}" > build-asan.log 2>&1 &
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
     ctest -j2 --output-on-failure --timeout 600 "${asan_tests[@]}")
fi
exit "$status"
