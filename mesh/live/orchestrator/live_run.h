// `meshproof run FILE --mode live`: the scenario on real processes. In a fresh run
// directory (/tmp/meshproof-live-*), with ports picked by the kernel: the control
// plane, then every instance's application and sidecar, the ingress gateway and
// in-mesh client sidecars; once every one is ready (before t0), the workload from
// t0 for `duration` of real time with the faults at their times, a drain of the
// requests still in flight, then every process is stopped (also when interrupted,
// and through PR_SET_PDEATHSIG if this process dies). The events of every process
// are merged by time into the sink, as the simulator would have emitted them.
#pragma once
#include <functional>
#include <stdexcept>
#include <string>

#include "mesh/core/events.h"
#include "mesh/live/orchestrator/interruption.h"
#include "mesh/live/orchestrator/live_mesh.h"
#include "mesh/scenario/plan.h"

namespace meshproof::live {

struct LiveRunOptions {
  std::string scenario_file;  // copied into the run directory
  std::uint64_t seed = 1;
  // (real seconds since t0, the run's duration), now and then.
  std::function<void(double, double)> progress;
  // The run directory, once every process is ready and before t0 (to attach a viewer).
  std::function<void(const std::string&)> started;
  DurationNs drain_limit = 30 * kSecond;
  bool keep_run_dir = false;  // also kept when the run fails to start
};

struct LiveRunResult {
  TimeNs end = 0;        // the last instant events were taken, from t0
  std::string run_dir;   // empty once removed
};

LiveRunResult runLive(const scenario::Plan& plan, const LiveRunOptions& options, EventSink& sink);

}  // namespace meshproof::live
