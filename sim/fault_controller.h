// Applies a scenario's faults at their simulated times and heals them when their
// duration ends: application faults (latency, abort, cpu) on the target instances,
// crashes and restarts (from an actor on the crashed host, so resets leave from it),
// partitions and loss on the network, bandwidth on the hosts' links, clock-skew on
// the target nodes' wall clocks, control-plane-down (the control plane's process
// stops, from an actor on its host) and revoke-ca (the CA refuses to sign). Every
// start and stop is a FaultEvent.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mesh/core/events.h"
#include "mesh/scenario/plan.h"
#include "sim/control_plane_node.h"
#include "sim/mesh_node.h"
#include "sim/platform.h"
#include "sim/sim_network.h"

namespace meshproof::sim {

class FaultController {
 public:
  FaultController(const scenario::Plan& plan, const Platform& platform, SimNetwork& network,
                  std::vector<std::unique_ptr<MeshNode>>& nodes, ControlPlaneNode& control_plane, EventSink& sink);

  // Hands the faults that act on a process to their nodes; call before the run.
  void scheduleOnNodes();
  // The actor body: faults in time order, then the end of the run and the drain.
  void run(DurationNs drain_limit);


 private:
  void apply(const scenario::Fault& fault, std::size_t index, bool start);
  void emit(const scenario::Fault& fault, bool start);
  std::vector<std::uint32_t> nodesOf(const scenario::Target& target) const;
  MeshNode& node(std::uint32_t index) { return *nodes_[index]; }

  const scenario::Plan& plan_;
  const Platform& platform_;
  SimNetwork& network_;
  std::vector<std::unique_ptr<MeshNode>>& nodes_;
  ControlPlaneNode& control_plane_;
  EventSink& sink_;
  std::map<std::size_t, int> partitions_;               // fault index -> partition id
  std::map<std::string, double> original_bandwidth_;    // host -> bytes per second
};

}  // namespace meshproof::sim
