// One simulated host: a workload instance's sidecar and application, or a client
// (the ingress gateway's sidecar, an in-mesh client's sidecar, or a plain client
// outside the mesh) with its load generators. One SimGrid actor per node waits on
// the node's mailbox until the earliest deadline of its state machines
// (Comm::wait_any_for), feeds what arrives, and carries out the actions that follow.
//
// A node with a sidecar also runs its agent: the stream to the control plane, the
// configuration snapshots it applies (the sidecar is built from the first one), and
// its workload certificate. Connections between sidecars are mutual TLS with real
// certificates: each side verifies the other's with OpenSSL at its own wall clock
// (skewed by clock-skew); a refused certificate fails the handshake (UF with UMTLS at
// the caller, a cert "rejected" event at the side that refused it). A sidecar that is
// not ready (no configuration or no certificate yet) refuses connections, as an
// Envoy without its listener does.
//
// A crash is a process crash: the node's sidecar and app state is lost, the host's
// kernel resets every connection the process had and refuses new ones until the
// restart, which brings a fresh process (a new incarnation: messages addressed to the
// old one are dropped).
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include <simgrid/s4u/Comm.hpp>

#include "mesh/app/app_instance.h"
#include "mesh/control/control_plane.h"
#include "mesh/control/sidecar_agent.h"
#include "mesh/core/clock.h"
#include "mesh/dataplane/sidecar.h"
#include "mesh/identity/peer_verifier.h"
#include "mesh/scenario/plan.h"
#include "sim/sim_network.h"
#include "mesh/workload/workload_generator.h"

namespace meshproof::sim {

// What every node shares.
struct SimContext {
  const scenario::Plan& plan;
  const dataplane::ServiceDirectory& directory;
  SimNetwork& network;
  EventSink& sink;
  Rng rng;
  control::ControlPlane& control_plane;  // read only for the state before the run (bootstrap)
  const identity::PeerVerifier& verifier;
  std::uint32_t control_plane_node = 0;
};

struct NodeSpec {
  std::string name;
  std::optional<dataplane::SidecarIdentity> sidecar;  // absent: a client outside the mesh
  std::optional<app::Behavior> behavior;               // absent: no application
  std::vector<const scenario::Workload*> workloads;     // load generators on this node
};

class MeshNode final : public control::ConfigTarget, public EventSink {
 public:
  MeshNode(SimContext& context, NodeSpec spec, std::uint32_t index);
  ~MeshNode();

  // The actor body: runs until the simulation ends (the actor is a daemon).
  void run();

  // Runs `action` on this node's own actor at `at` (faults that act on the process:
  // crash, restart, clock-skew), so that its messages leave from this host and its
  // next deadline follows. Call before the run starts.
  void schedule(TimeNs at, std::function<void()> action) { scheduled_.emplace(at, std::move(action)); }

  // Faults (see schedule()).
  void crash();
  void restart();
  bool crashed() const { return crashed_; }

  // Application faults (latency, abort, cpu): applied now and to a restarted process.
  void setLatencyFault(std::optional<std::pair<DurationNs, DurationNs>> delay_and_jitter);
  void setAbortFault(std::optional<std::pair<int, double>> status_and_percentage);
  void setCpuFactor(double factor);
  // clock-skew: the node's wall clock jumps by `offset` (and back by -offset).
  void skewClock(DurationNs offset);

  // The agent's target: builds the sidecar from the first snapshot, then applies each.
  std::optional<std::string> apply(const control::ConfigSnapshot& snapshot) override;
  // Everything the node's sidecar and agent emit passes here: to the run's sink, and
  // its inbound access log to the agent's telemetry.
  void emit(TimeNs t, const Event& event) override;

  // The run is over: report what the generators still wait for as lost.
  void finishGenerators();
  std::size_t outstandingClientRequests() const;
  const std::string& name() const { return spec_.name; }
  std::uint32_t index() const { return index_; }

 private:
  struct Upstream {
    std::uint32_t node = 0;
    std::uint32_t epoch = 0;
    bool mtls = false;
    std::string expected_spiffe_id;  // the destination service's identity (checked in the handshake)
  };
  struct Downstream {
    std::uint32_t epoch = 0;
    std::string peer_spiffe_id;  // verified in the TLS handshake; empty for plaintext
  };
  struct InboundExchange {
    std::uint32_t from_node = 0;
    std::uint32_t from_epoch = 0;
    std::uint64_t exchange = 0;
    std::uint64_t connection = 0;  // the caller's connection (0: a direct request)
    bool mtls = false;             // the caller's connection is mTLS: the answer goes in TLS records
  };
  struct Delayed {
    TimeNs at;
    std::uint64_t sequence;
    std::shared_ptr<NetMessage> message;
    bool operator>(const Delayed& o) const { return at != o.at ? at > o.at : sequence > o.sequence; }
  };

  void startProcess();
  void applyAppFaults();
  void pumpAgent();
  void acceptConnect(const NetMessage& m);
  void finishHandshake(const NetMessage& m);
  void refuse(const NetMessage& m, ResponseFlags why);
  void rejected(const identity::VerifyResult& result, const identity::Certificate* peer, std::uint32_t peer_node);
  void handleControl(const NetMessage& m);
  void tellRegistry(RegistryStatus status);
  TimeNs nextDeadline() const;
  void advanceAll();
  void pump();
  void handle(std::unique_ptr<NetMessage> message);
  void handleWhileCrashed(const NetMessage& message);
  void send(std::uint32_t to, std::uint32_t to_epoch, std::unique_ptr<NetMessage> message);
  void sendClientRequest(std::size_t generator, workload::ClientSend send);
  void answerClient(std::uint64_t exchange, int status, ResponseFlags flags);
  std::uint32_t pickDirectTarget(const std::string& service);

  SimContext& ctx_;
  NodeSpec spec_;
  std::uint32_t index_;
  ManualClock clock_;
  Rng node_rng_;
  Rng process_rng_;
  int incarnation_ = 0;
  bool crashed_ = false;
  std::optional<std::pair<DurationNs, DurationNs>> latency_fault_;
  std::optional<std::pair<int, double>> abort_fault_;
  double cpu_factor_ = 1.0;

  std::unique_ptr<control::SidecarAgent> agent_;
  std::unique_ptr<dataplane::Sidecar> sidecar_;  // null until the agent applied a first snapshot
  std::uint32_t control_epoch_ = 0;              // the control plane's incarnation our stream went to
  bool registered_ready_ = true;                 // what the registry was last told (ready before the run)
  std::unique_ptr<app::AppInstance> app_;
  std::vector<std::unique_ptr<workload::WorkloadGenerator>> generators_;

  std::unordered_map<dataplane::ConnectionId, Upstream> upstreams_;        // client side
  std::map<std::pair<std::uint32_t, std::uint64_t>, Downstream> downstream_connections_;  // (node, conn)
  std::unordered_map<dataplane::InboundId, InboundExchange> inbound_;       // server side
  std::unordered_map<std::uint64_t, std::uint32_t> direct_requests_;       // exchange -> server node
  std::priority_queue<Delayed, std::vector<Delayed>, std::greater<>> delayed_;
  std::uint64_t next_inbound_ = 1;
  std::uint64_t delayed_sequence_ = 0;
  std::multimap<TimeNs, std::function<void()>> scheduled_;  // equal times keep their order
  std::map<std::string, std::uint32_t> direct_round_robin_;
};

// Ids of the generators' requests: high bit set, generator index, request number.
constexpr std::uint64_t kClientExchangeBit = std::uint64_t{1} << 63;
constexpr std::uint64_t clientExchange(std::size_t generator, std::uint64_t request) {
  return kClientExchangeBit | (static_cast<std::uint64_t>(generator) << 48) | request;
}
constexpr bool isClientExchange(std::uint64_t id) { return (id & kClientExchangeBit) != 0; }
constexpr std::size_t generatorOf(std::uint64_t id) { return static_cast<std::size_t>((id >> 48) & 0x7fff); }
constexpr std::uint64_t requestOf(std::uint64_t id) { return id & ((std::uint64_t{1} << 48) - 1); }

}  // namespace meshproof::sim
