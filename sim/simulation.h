// Runs a scenario Plan inside SimGrid: builds the platform (a host per instance,
// plus the ingress gateway and client hosts the workload needs), starts one actor
// per node and a fault controller, runs the simulated duration, lets requests in
// flight drain, and reports every event to the given sink. One simulation per
// process (SimGrid keeps one engine per process).
#pragma once
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

#include "mesh/core/events.h"
#include "mesh/scenario/plan.h"

namespace meshproof::sim {

struct SimulationOptions {
  std::uint64_t seed = 1;
  bool verbose_simgrid = false;
  // Called now and then with (simulated seconds reached, simulated seconds in all);
  // from SimGrid's time-advance signal, so it never changes the run.
  std::function<void(double, double)> progress;
  // After `duration`, how long requests still in flight may take to finish before
  // they count as lost.
  DurationNs drain_limit = 60 * kSecond;
};

struct SimulationResult {
  TimeNs simulated_end = 0;
  std::uint64_t messages = 0;
  std::uint64_t messages_dropped = 0;
  std::size_t nodes = 0;
};

SimulationResult simulate(const scenario::Plan& plan, const SimulationOptions& options, EventSink& sink);

// The wall clock at simulated t = 0 (2026-01-01T00:00:00Z): the origin of every
// node's wall clock, hence of certificate validity, in simulation.
inline constexpr TimeNs kSimWallEpoch = 1'767'225'600 * kSecond;

// The instance-free host names the simulator adds for the workload.
inline constexpr const char* kControllerNode = "meshproof-controller";
inline constexpr const char* kControlPlaneNode = "control-plane-0";

}  // namespace meshproof::sim
