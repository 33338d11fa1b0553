// The sidecar: one workload instance's proxy as a sans-I/O state machine.
//
// Outbound (the local app calls another service), per request, in Istio/Envoy order:
//   route match (404 NR) -> fault filter (DI delay, FI abort) -> route timeout (504 UT)
//   -> [attempt: load balancer (503 UH) -> connection pool and circuit breakers (503 UO)
//       -> per-try timeout] -> retry policy (backoff, maxRetries / budget: UO,
//       attempts exhausted: URX) -> answer to the app.
// Inbound (a peer calls the local app): PeerAuthentication (UMTLS) -> authorization
// (403 RBAC, AUDIT logs) -> the app -> answer to the peer.
//
// The driver feeds inputs (the methods below), calls advance() when the clock reaches
// nextDeadline(), and after either carries out every action from pollAction().
// Every finished request leaves one RequestEvent (the access log) on the sink.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "mesh/core/action_queue.h"
#include "mesh/config/model.h"
#include "mesh/core/clock.h"
#include "mesh/core/events.h"
#include "mesh/core/rng.h"
#include "mesh/dataplane/destination_cluster.h"
#include "mesh/dataplane/retry_policy.h"
#include "mesh/dataplane/service_directory.h"
#include "mesh/dataplane/sidecar_actions.h"
#include "mesh/dataplane/timer_queue.h"
#include "mesh/security/authorizer.h"
#include "mesh/security/peer_authentication.h"
#include "mesh/telemetry/trace_context.h"

namespace meshproof::dataplane {

struct SidecarIdentity {
  std::string instance;         // e.g. "checkout-v1-0", or "ingress-gateway-0"
  std::string service;          // the workload's service; empty for a gateway (no inbound side)
  std::string version;          // the workload's version (Istio subset)
  std::string namespace_ = "default";
  std::string service_account;  // defaults to the service name
  std::string zone;             // locality of the instance
};

class Sidecar {
 public:
  // `directory`, `clock` and `sink` must outlive the sidecar.
  Sidecar(SidecarIdentity identity, std::shared_ptr<const config::MeshConfig> config,
          const ServiceDirectory& directory, const Clock& clock, const Rng& rng, EventSink& sink);
  // A configuration the caller keeps alive for the sidecar's lifetime (tests, benchmarks).
  Sidecar(SidecarIdentity identity, const config::MeshConfig& config, const ServiceDirectory& directory,
          const Clock& clock, const Rng& rng, EventSink& sink);
  ~Sidecar();
  Sidecar(const Sidecar&) = delete;
  Sidecar& operator=(const Sidecar&) = delete;

  // ---- outbound inputs ----
  // The local app sends `request` to the service named by request.authority.
  void appRequest(AppRequestId id, HttpRequest request);
  void upstreamConnected(ConnectionId connection);
  // `why`: kMtlsRejected when the TLS handshake failed (a peer certificate refused by
  // either side); the requests waiting for the connection fail with UF and that flag.
  void upstreamConnectFailed(ConnectionId connection, ResponseFlags why = kNoFlags);
  // The peer closed or reset the connection (a crash, a partition, an mTLS rejection).
  void upstreamConnectionClosed(ConnectionId connection);
  // The response to an attempt. `upstream_flags` are the flags of a local reply made by
  // the upstream sidecar (UMTLS, RBAC), so the caller can report why.
  void upstreamResponse(AttemptId attempt, int status, ResponseFlags upstream_flags = kNoFlags);
  // The sidecar gives up on the app's request (a live sidecar's drain ran out of
  // time): answered `status` with `flags` now, its attempt cancelled (its connection
  // closed when the request was on the wire). Unknown or finished ids are ignored.
  void abandonAppRequest(AppRequestId id, int status, ResponseFlags flags);

  // ---- inbound inputs ----
  void peerRequest(InboundId id, HttpRequest request, const security::PeerConnection& peer);
  // `flags`: why the sidecar answers for the app (LR: it gave up on it, UC: the
  // app's connection went); none when the app answered.
  void appResponded(InboundId id, int status, ResponseFlags flags = kNoFlags);
  // The peer closed the connection before the answer (its per-try timeout, a crash):
  // logged as status 0 with DC, as Envoy does; the app's later answer is dropped.
  void peerClosed(InboundId id);

  // ---- configuration (xDS) ----
  // A new configuration snapshot: applied when the sidecar can (then nullopt), else
  // refused with the reason (a NACK) and the last good one kept. Requests in flight
  // finish under the routes they started with; a destination whose DestinationRule or
  // TLS changed gets a new cluster while the old one drains (Envoy's CDS update).
  std::optional<std::string> applyConfig(std::shared_ptr<const config::MeshConfig> config);
  // Service discovery (EDS): which instances are endpoints; nullptr: all of them.
  void applyEndpoints(std::shared_ptr<const EndpointTable> endpoints);
  const config::MeshConfig& config() const { return *config_; }

  // ---- time and actions ----
  TimeNs nextDeadline() const;
  // Runs everything due at clock.now().
  void advance();
  bool pollAction(SidecarAction& out);
  bool hasActions() const { return !actions_.empty(); }

  const SidecarIdentity& identity() const { return identity_; }
  const std::string& spiffeUri() const { return spiffe_uri_; }
  std::size_t outboundInFlight() const { return outbound_.size(); }
  std::size_t inboundInFlight() const { return inbound_.size(); }
  // The cluster for a destination service (created on first use); nullptr if unknown.
  DestinationCluster* cluster(const std::string& service);

 private:
  struct Outbound;
  struct Inbound;
  enum class TimerKind : std::uint8_t { kStep, kRoute };
  struct TimerRef {
    std::uint64_t outbound = 0;
    TimerKind kind = TimerKind::kStep;
    std::uint64_t token = 0;
  };

  std::uint64_t startOutbound(AppRequestId app_id, HttpRequest request, const telemetry::TraceContext& trace,
                              DestinationCluster* cluster, const config::HttpRoute* route, std::string subset,
                              bool shadow);
  void afterFaultDelay(Outbound& o);
  void startAttempt(Outbound& o);
  void drainPool(DestinationCluster& cluster);
  void onDispatched(std::uint64_t attempt, ConnectionId connection);
  void onAttemptEnded(Outbound& o, const AttemptOutcome& outcome, ResponseFlags attempt_flags);
  void endAttemptAccounting(Outbound& o);
  void finish(Outbound& o, int status, ResponseFlags flags);
  void onTimer(const TimerRef& ref);
  void armStep(Outbound& o, TimeNs at);
  void respondToPeer(Inbound& in, int status, ResponseFlags flags, bool delivered);
  void logInbound(const Inbound& in, int status, ResponseFlags flags, bool delivered);
  Outbound* outboundForAttempt(AttemptId attempt);
  DestinationCluster& addCluster(const ServiceInfo& info);
  void configureInbound();

  SidecarIdentity identity_;
  std::shared_ptr<const config::MeshConfig> config_;
  std::shared_ptr<const EndpointTable> endpoints_;  // null: every instance is an endpoint
  const ServiceDirectory& directory_;
  const Clock& clock_;
  EventSink& sink_;
  Rng rng_;        // root of this sidecar's streams (fork only)
  Rng route_rng_;  // weighted splits, mirrors, faults
  Rng retry_rng_;  // backoff jitter
  Rng trace_rng_;  // trace and span ids
  std::string spiffe_uri_;
  std::string principal_;
  config::MtlsMode inbound_mode_;
  std::unique_ptr<security::Authorizer> authorizer_;  // null for gateways

  std::vector<std::unique_ptr<DestinationCluster>> clusters_;
  std::map<std::string, DestinationCluster*> clusters_by_service_;

  std::unordered_map<std::uint64_t, Outbound> outbound_;
  std::unordered_map<AttemptId, std::uint64_t> attempt_owner_;
  std::unordered_map<InboundId, Inbound> inbound_;
  TimerQueue<TimerRef> timers_;
  ActionQueue<SidecarAction> actions_;
  std::uint64_t next_outbound_ = 1;
  std::uint64_t next_token_ = 1;
  ResponseFlags connect_failure_flags_ = kNoFlags;  // set while a failed connect drains its pool
};

// Ids are (cluster index << 40 | the cluster pool's own id): unique per sidecar and
// mapped back to the cluster without a lookup table.
constexpr std::uint64_t kClusterIdShift = 40;
constexpr std::uint32_t clusterOfId(std::uint64_t id) { return static_cast<std::uint32_t>(id >> kClusterIdShift); }
constexpr std::uint64_t poolIdOf(std::uint64_t id) { return id & ((std::uint64_t{1} << kClusterIdShift) - 1); }
constexpr std::uint64_t sidecarId(std::uint32_t cluster, std::uint64_t pool_id) {
  return (static_cast<std::uint64_t>(cluster) << kClusterIdShift) | pool_id;
}

}  // namespace meshproof::dataplane
