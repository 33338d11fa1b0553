# Scenario tests: every file in scenarios/ must hold (exit 0), every file in
# scenarios/variants/ must fail one of its expectations (exit 1: the checks bite),
# the same seed must give the same trace (trace_sha256) and a different seed a
# different one, and unusable input must exit 2 naming file:line: field.path.
# Each simulation is its own ctest entry, hence its own process (SimGrid allows
# one simulation per process). Included from tests/CMakeLists.txt.
set(MESHPROOF_SCENARIO_TESTS ${PROJECT_SOURCE_DIR}/tests/scenarios)
set(MESHPROOF_SCENARIOS ${PROJECT_SOURCE_DIR}/scenarios)

# Scenarios: every expectation holds.
add_test(NAME scenario_circuit_breaker
         COMMAND ${MESHPROOF_SCENARIO_TESTS}/expect-exit.sh 0 $<TARGET_FILE:meshproof> run ${MESHPROOF_SCENARIOS}/circuit-breaker.yaml --quiet)
add_test(NAME scenario_flagship
         COMMAND ${MESHPROOF_SCENARIO_TESTS}/expect-exit.sh 0 $<TARGET_FILE:meshproof> run ${MESHPROOF_SCENARIOS}/flagship.yaml --quiet)
add_test(NAME scenario_locality_failover
         COMMAND ${MESHPROOF_SCENARIO_TESTS}/expect-exit.sh 0 $<TARGET_FILE:meshproof> run ${MESHPROOF_SCENARIOS}/locality-failover.yaml --quiet)
add_test(NAME scenario_outlier_ejection
         COMMAND ${MESHPROOF_SCENARIO_TESTS}/expect-exit.sh 0 $<TARGET_FILE:meshproof> run ${MESHPROOF_SCENARIOS}/outlier-ejection.yaml --quiet)
add_test(NAME scenario_retry_storm_budget
         COMMAND ${MESHPROOF_SCENARIO_TESTS}/expect-exit.sh 0 $<TARGET_FILE:meshproof> run ${MESHPROOF_SCENARIOS}/retry-storm-budget.yaml --quiet)
add_test(NAME scenario_retry_storm
         COMMAND ${MESHPROOF_SCENARIO_TESTS}/expect-exit.sh 0 $<TARGET_FILE:meshproof> run ${MESHPROOF_SCENARIOS}/retry-storm.yaml --quiet)
add_test(NAME scenario_zero_trust
         COMMAND ${MESHPROOF_SCENARIO_TESTS}/expect-exit.sh 0 $<TARGET_FILE:meshproof> run ${MESHPROOF_SCENARIOS}/zero-trust.yaml --quiet)

# Variants: one expectation or one knob changed so that an expectation fails.
add_test(NAME scenario_variant_circuit_breaker_no_pending_limit
         COMMAND ${MESHPROOF_SCENARIO_TESTS}/expect-exit.sh 1 $<TARGET_FILE:meshproof> run ${MESHPROOF_SCENARIOS}/variants/circuit-breaker-no-pending-limit.yaml --quiet)
add_test(NAME scenario_variant_locality_failover_default_max_ejection
         COMMAND ${MESHPROOF_SCENARIO_TESTS}/expect-exit.sh 1 $<TARGET_FILE:meshproof> run ${MESHPROOF_SCENARIOS}/variants/locality-failover-default-max-ejection.yaml --quiet)
add_test(NAME scenario_variant_outlier_ejection_back_too_soon
         COMMAND ${MESHPROOF_SCENARIO_TESTS}/expect-exit.sh 1 $<TARGET_FILE:meshproof> run ${MESHPROOF_SCENARIOS}/variants/outlier-ejection-back-too-soon.yaml --quiet)
add_test(NAME scenario_variant_outlier_ejection_default_max_percent
         COMMAND ${MESHPROOF_SCENARIO_TESTS}/expect-exit.sh 1 $<TARGET_FILE:meshproof> run ${MESHPROOF_SCENARIOS}/variants/outlier-ejection-default-max-percent.yaml --quiet)
add_test(NAME scenario_variant_retry_storm_budget_removed
         COMMAND ${MESHPROOF_SCENARIO_TESTS}/expect-exit.sh 1 $<TARGET_FILE:meshproof> run ${MESHPROOF_SCENARIOS}/variants/retry-storm-budget-removed.yaml --quiet)
add_test(NAME scenario_variant_retry_storm_must_recover
         COMMAND ${MESHPROOF_SCENARIO_TESTS}/expect-exit.sh 1 $<TARGET_FILE:meshproof> run ${MESHPROOF_SCENARIOS}/variants/retry-storm-must-recover.yaml --quiet)
add_test(NAME scenario_variant_zero_trust_no_default_deny
         COMMAND ${MESHPROOF_SCENARIO_TESTS}/expect-exit.sh 1 $<TARGET_FILE:meshproof> run ${MESHPROOF_SCENARIOS}/variants/zero-trust-no-default-deny.yaml --quiet)
add_test(NAME scenario_variant_zero_trust_no_deny
         COMMAND ${MESHPROOF_SCENARIO_TESTS}/expect-exit.sh 1 $<TARGET_FILE:meshproof> run ${MESHPROOF_SCENARIOS}/variants/zero-trust-no-deny.yaml --quiet)

# Determinism: same seed, same trace; different seeds, different traces.
add_test(NAME scenario_same_seed_same_trace
         COMMAND ${MESHPROOF_SCENARIO_TESTS}/same-seed-same-trace.sh $<TARGET_FILE:meshproof> ${MESHPROOF_SCENARIOS}/flagship.yaml same)
add_test(NAME scenario_different_seed_different_trace
         COMMAND ${MESHPROOF_SCENARIO_TESTS}/same-seed-same-trace.sh $<TARGET_FILE:meshproof> ${MESHPROOF_SCENARIOS}/flagship.yaml different)
add_test(NAME scenario_same_seed_same_trace_retry_storm
         COMMAND ${MESHPROOF_SCENARIO_TESTS}/same-seed-same-trace.sh $<TARGET_FILE:meshproof> ${MESHPROOF_SCENARIOS}/retry-storm.yaml same)

# Unusable input: exit 2, and the message names file:line: field.path.
add_test(NAME scenario_bad_misspelt_field
         COMMAND ${MESHPROOF_SCENARIO_TESTS}/expect-error.sh $<TARGET_FILE:meshproof>
                 ${MESHPROOF_SCENARIO_TESTS}/bad/misspelt-field.yaml
                 "misspelt-field.yaml:13: destinations[0].outlierDetection.consecutive5xxError")
add_test(NAME scenario_bad_unitless_duration
         COMMAND ${MESHPROOF_SCENARIO_TESTS}/expect-error.sh $<TARGET_FILE:meshproof>
                 ${MESHPROOF_SCENARIO_TESTS}/bad/unitless-duration.yaml
                 "unitless-duration.yaml:11: destinations[0].outlierDetection.interval")

set_tests_properties(
  scenario_same_seed_same_trace scenario_different_seed_different_trace scenario_same_seed_same_trace_retry_storm
  PROPERTIES TIMEOUT 120)
