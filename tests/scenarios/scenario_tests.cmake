# Scenario tests: every file in scenarios/ must hold (exit 0), every file in
# scenarios/variants/ must fail one of its expectations (exit 1: the checks bite),
# the same seed must give the same trace (trace_sha256) and a different seed a
# different one, and unusable input must exit 2 naming file:line: field.path.
# Each simulation is its own ctest entry, hence its own process (SimGrid allows
# one simulation per process). Included from tests/CMakeLists.txt.
set(MESHPROOF_SCENARIO_TESTS ${PROJECT_SOURCE_DIR}/tests/scenarios)
set(MESHPROOF_SCENARIOS ${PROJECT_SOURCE_DIR}/scenarios)

# Scenarios: every expectation holds. Variants: one expectation or one knob changed
# so that an expectation fails (the checks bite). One ctest entry per file, named
# after it (scenario_<stem> / scenario_variant_<stem>, dashes as underscores).
file(GLOB _scenario_files CONFIGURE_DEPENDS ${MESHPROOF_SCENARIOS}/*.yaml)
file(GLOB _variant_files CONFIGURE_DEPENDS ${MESHPROOF_SCENARIOS}/variants/*.yaml)
foreach(_kind scenario variant)
  if(_kind STREQUAL "scenario")
    set(_files ${_scenario_files})
    set(_prefix scenario_)
    set(_status 0)
  else()
    set(_files ${_variant_files})
    set(_prefix scenario_variant_)
    set(_status 1)
  endif()
  foreach(_file ${_files})
    get_filename_component(_stem ${_file} NAME_WE)
    string(REPLACE "-" "_" _stem ${_stem})
    add_test(NAME ${_prefix}${_stem}
             COMMAND ${MESHPROOF_SCENARIO_TESTS}/expect-exit.sh ${_status} $<TARGET_FILE:meshproof> run ${_file} --quiet)
  endforeach()
endforeach()

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

# Live mode: the short live variants (scenarios/live/) hold in simulation too; a few
# scenarios run on real processes, where every expectation must hold, the verdicts
# must agree with the simulation and nothing may be left behind, also when the run
# is interrupted (during start-up and during the run). Not under the sanitizers:
# real-time expectations and a dozen instrumented processes on two cores.
file(GLOB _live_files CONFIGURE_DEPENDS ${MESHPROOF_SCENARIOS}/live/*.yaml)
foreach(_file ${_live_files})
  get_filename_component(_stem ${_file} NAME_WE)
  string(REPLACE "-" "_" _stem ${_stem})
  add_test(NAME scenario_live_variant_${_stem}
           COMMAND ${MESHPROOF_SCENARIO_TESTS}/expect-exit.sh 0 $<TARGET_FILE:meshproof> run ${_file} --quiet)
endforeach()
if(NOT MESHPROOF_SANITIZE)
  # (circuit-breaker is left out: its p99 bound, 50 ms over a 40 ms queue, leaves
  # live sidecars 10 ms, which a loaded 2-core machine takes; it passes when idle.)
  foreach(_file zero-trust outlier-ejection locality-failover live/crash-restart live/flagship-short live/narrow-link)
    string(REGEX REPLACE "[-/]" "_" _name ${_file})
    add_test(NAME live_${_name}
             COMMAND ${MESHPROOF_SCENARIO_TESTS}/live-run.sh $<TARGET_FILE:meshproof> ${MESHPROOF_SCENARIOS}/${_file}.yaml)
    set_tests_properties(live_${_name} PROPERTIES TIMEOUT 180 RUN_SERIAL ON)
  endforeach()
  # The control-plane process is stopped and started again: the new one publishes the
  # next version from the state the last one left ("restart"), then the change made
  # meanwhile.
  add_test(NAME live_live_control_plane_outage_short
           COMMAND ${MESHPROOF_SCENARIO_TESTS}/live-run.sh $<TARGET_FILE:meshproof>
                   ${MESHPROOF_SCENARIOS}/live/control-plane-outage-short.yaml 0 "\"cause\":\"restart\"")
  set_tests_properties(live_live_control_plane_outage_short PROPERTIES TIMEOUT 180 RUN_SERIAL ON)
  # An instance restarted during a latency fault comes back with it: after its
  # return (4 s) backend-v1-0 still answers 150 ms late, in live mode as in simulation.
  add_test(NAME live_live_crash_during_latency
           COMMAND ${MESHPROOF_SCENARIO_TESTS}/live-run.sh $<TARGET_FILE:meshproof>
                   ${MESHPROOF_SCENARIOS}/live/crash-during-latency.yaml 0
                   "\"t\":[5-6]\\.[0-9]+,\"kind\":\"request\",\"reporter\":\"destination\",.*\"instance\":\"backend-v1-0\",.*\"duration_ms\":1[5-9][0-9]\\.")
  set_tests_properties(live_live_crash_during_latency PROPERTIES TIMEOUT 180 RUN_SERIAL ON)
  # The checks bite live too: DENY removed, legacy gets in, and both modes say so.
  add_test(NAME live_variant_zero_trust_no_deny
           COMMAND ${MESHPROOF_SCENARIO_TESTS}/live-run.sh $<TARGET_FILE:meshproof>
                   ${MESHPROOF_SCENARIOS}/variants/zero-trust-no-deny.yaml 1)
  set_tests_properties(live_variant_zero_trust_no_deny PROPERTIES TIMEOUT 180 RUN_SERIAL ON)
  # A link narrowed below what crosses it: the calls queue up in both modes.
  add_test(NAME live_variant_narrow_link_starved
           COMMAND ${MESHPROOF_SCENARIO_TESTS}/live-run.sh $<TARGET_FILE:meshproof>
                   ${MESHPROOF_SCENARIOS}/variants/narrow-link-starved.yaml 1)
  set_tests_properties(live_variant_narrow_link_starved PROPERTIES TIMEOUT 180 RUN_SERIAL ON)
  add_test(NAME live_interrupted_during_start_up
           COMMAND ${MESHPROOF_SCENARIO_TESTS}/live-interrupt.sh $<TARGET_FILE:meshproof> ${MESHPROOF_SCENARIOS}/zero-trust.yaml 0.3)
  add_test(NAME live_interrupted_during_the_run
           COMMAND ${MESHPROOF_SCENARIO_TESTS}/live-interrupt.sh $<TARGET_FILE:meshproof> ${MESHPROOF_SCENARIOS}/zero-trust.yaml run+1)
  set_tests_properties(live_interrupted_during_start_up live_interrupted_during_the_run PROPERTIES TIMEOUT 60)
endif()
