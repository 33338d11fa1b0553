// The control plane's simulated host: one actor that serves the sidecars' streams
// (a TCP connect per stream, then kControl messages both ways) to the sans-I/O
// ControlPlane, on the host's own clock. control-plane-down stops the process: its
// kernel resets every stream, connects are refused until it starts again, and what
// was addressed to the old process is dropped.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>

#include "mesh/control/control_plane.h"
#include "mesh/core/clock.h"
#include "sim/node_loop.h"
#include "sim/sim_network.h"

namespace meshproof::sim {

class ControlPlaneNode {
 public:
  ControlPlaneNode(control::ControlPlaneSpec spec, identity::CertificateAuthority& ca, SimNetwork& network,
                   EventSink& sink);

  // Joins the network (the mesh nodes are added first).
  void attach(std::uint32_t index) { index_ = index; }
  std::uint32_t index() const { return index_; }
  control::ControlPlane& controlPlane() { return *control_plane_; }

  // The actor body: runs until the simulation ends (a daemon).
  void run();
  // control-plane-down from `at` to `until` (kNever: the end): the node's own actor
  // stops and starts the process then. Call before the run starts.
  void scheduleOutage(TimeNs at, TimeNs until);

 private:
  void handle(std::unique_ptr<NetMessage> message);
  void pump();
  void send(std::uint32_t to, std::uint32_t epoch, std::unique_ptr<NetMessage> message);
  void stop();
  void start();

  ManualClock clock_;
  SimNetwork& network_;
  std::optional<control::ControlPlane> control_plane_;
  std::uint32_t index_ = 0;
  bool down_ = false;
  std::map<std::uint32_t, std::uint32_t> streams_;  // connected node -> its epoch
  std::multimap<TimeNs, std::unique_ptr<NetMessage>> delayed_;  // retransmissions, in arrival order per time
  std::multimap<TimeNs, bool> outages_;                         // when to stop (true) and start (false)
};

}  // namespace meshproof::sim
