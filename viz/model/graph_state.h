// The state of the service graph at one instant: what the views draw. Vectors are
// aligned with the topology (GraphState::nodes[i] is Topology::nodes[i], and so on)
// so that a frame carries figures, not names.
//
// Figures at time t cover the window [to - W, to) where `to` is t rounded down to a
// bucket boundary (the last complete buckets, so nothing after t is counted) and W
// the window asked for (default 5 s), clipped at 0. Discrete states (breakers,
// ejections, faults, certificates, config, canary) are the last event at or before t;
// breaker trips are counted over (t - W, t].
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mesh/core/events.h"
#include "mesh/core/time.h"

namespace meshproof::viz {

struct Figures {
  std::uint64_t requests = 0;
  std::uint64_t successes = 0;
  std::uint64_t hops = 0;
  std::uint64_t mtls = 0;
  std::uint64_t rejected = 0;  // UMTLS
  std::uint64_t denied = 0;    // RBAC
  DurationNs window = 0;
  std::optional<double> p99_ms;  // nullopt without requests

  double requestsPerSecond() const { return window <= 0 ? 0.0 : static_cast<double>(requests) / toSeconds(window); }
  std::optional<double> successRatePercent() const {
    if (requests == 0) return std::nullopt;
    return 100.0 * static_cast<double>(successes) / static_cast<double>(requests);
  }
};

enum class Health { kHealthy, kUnhealthy, kEjected, kDown };

struct InstanceState {
  Health health = Health::kHealthy;  // the worst of: down > ejected > unhealthy > healthy
  bool down = false;                 // a crash fault is active on it
  bool ejected = false;              // some caller's outlier detector ejected it
  bool unhealthy = false;            // the control plane's registry says so
  std::vector<std::string> faults;   // types of the faults active on it
  std::optional<TimeNs> cert_expires;
  bool cert_expired = false;
  bool cert_denied = false;
  std::optional<std::uint64_t> config_applied;
  std::optional<std::uint64_t> config_rejected;
};

struct VersionState {
  Figures figures;
  std::optional<int> weight_percent;  // during a canary analysis: the traffic weight
};

struct BreakerBadge {
  bool open = false;
  int trips = 0;
  std::vector<std::string> thresholds;
};

struct CanaryBadge {
  std::string stable;
  std::string canary;
  int weight = 0;
  std::string verdict;
  int iteration = 0;
  std::string reason;
  TimeNs at = 0;
};

struct NodeState {
  Figures figures;  // as seen by its callers
  std::vector<VersionState> versions;
  std::vector<InstanceState> instances;
  BreakerBadge breaker;
  int ejected = 0;
  int down = 0;
  std::vector<std::string> faults;  // distinct types active on its instances
  std::optional<CanaryBadge> canary;
  int expired_certs = 0;
  int config_rejected = 0;
};

enum class MtlsState {
  kNoTraffic,  // no hop in the window
  kMutual,     // every hop over mTLS
  kPlaintext,  // some or every hop in plaintext
  kRejected,   // peer certificates refused (UMTLS, or `cert` rejected lines)
};

struct EdgeState {
  bool seen = false;  // some request on this path ended at or before t
  Figures figures;
  MtlsState mtls = MtlsState::kNoTraffic;
  std::uint64_t cert_rejections = 0;
};

struct ActiveFault {
  std::string type;
  std::string description;
  bool mesh_wide = false;  // no instance targets (e.g. control-plane-down)
  TimeNs since = 0;
};

struct MeshConfig {
  std::optional<std::uint64_t> version;
  std::string cause;
  int sidecars = 0;
  int current = 0;
  int rejected = 0;
};

struct GraphState {
  TimeNs t = 0;
  TimeNs window_from = 0;
  TimeNs window_to = 0;
  std::vector<NodeState> nodes;
  std::vector<EdgeState> edges;
  std::vector<ActiveFault> faults;
  MeshConfig config;
};

}  // namespace meshproof::viz
