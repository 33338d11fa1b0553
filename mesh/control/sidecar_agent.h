// A sidecar's agent (pilot-agent and Envoy's xDS client, in small) as a sans-I/O
// state machine: it keeps the node's stream to the control plane open (reconnecting
// with jittered exponential backoff, as Envoy's xDS client does), says hello with the
// version it runs, applies each pushed snapshot through its ConfigTarget and ACKs it
// or NACKs it with the reason (keeping the last good one), reports the version it
// runs every interval, holds the workload certificate (WorkloadIdentity) and forwards
// its signing requests, and sends the inbound request figures of services under
// canary analysis. It is ready with a configuration applied and a certificate held
// (the driver tells the registry). Without a stream it keeps serving with what it has
// (static stability).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "mesh/core/action_queue.h"
#include "mesh/control/messages.h"
#include "mesh/core/clock.h"
#include "mesh/core/events.h"
#include "mesh/core/rng.h"
#include "mesh/dataplane/retry_policy.h"
#include "mesh/identity/workload_identity.h"

namespace meshproof::control {

// What the agent configures: the node's data plane. apply() returns the reason when
// the snapshot cannot be applied (then nothing changed).
class ConfigTarget {
 public:
  virtual ~ConfigTarget() = default;
  virtual std::optional<std::string> apply(const ConfigSnapshot& snapshot) = 0;
};

struct AgentSpec {
  std::string node;      // the instance (or gateway / client) name
  std::string service;   // empty for a gateway or a client: no telemetry reports
  std::string spiffe_uri;
  DurationNs report_interval = 5 * kSecond;  // version reports
  DurationNs telemetry_interval = kSecond;
  DurationNs reconnect_base = 500 * kMillisecond;  // Envoy's xDS backoff: 500 ms ...
  DurationNs reconnect_max = 30 * kSecond;         // ... to 30 s, full jitter
  identity::RotationPolicy rotation;
};

// Open a stream to the control plane; report streamUp() or streamDown().
struct ConnectStream {};
struct SendToControlPlane {
  ToControlPlane message;
};
using AgentAction = std::variant<ConnectStream, SendToControlPlane>;

class SidecarAgent {
 public:
  SidecarAgent(AgentSpec spec, const Clock& clock, const Rng& rng, EventSink& sink, ConfigTarget& target);

  // State before the run: a snapshot already applied and a certificate issued.
  void bootstrap(const SnapshotPtr& snapshot, identity::WorkloadKey key, identity::CertificatePtr certificate);

  bool ready() const { return applied_ != nullptr && identity_.certificate() != nullptr; }
  const identity::WorkloadIdentity& identity() const { return identity_; }
  const SnapshotPtr& applied() const { return applied_; }

  // ---- the stream ----
  void streamUp();
  void streamDown();
  bool streamIsUp() const { return stream_up_; }
  void receive(const ToSidecar& message);

  // ---- inbound figures (the node's own RequestEvents, reporter=destination) ----
  void observeInbound(const RequestEvent& event);

  // ---- time and actions ----
  TimeNs nextDeadline() const;
  void advance();
  bool pollAction(AgentAction& out);
  bool hasActions() const { return !actions_.empty(); }

 private:
  void send(ToControlPlane message) { actions_.push_back(SendToControlPlane{std::move(message)}); }
  void applySnapshot(const SnapshotPtr& snapshot);
  bool reportsTelemetry() const;

  AgentSpec spec_;
  const Clock& clock_;
  Rng rng_;
  EventSink& sink_;
  ConfigTarget& target_;
  identity::WorkloadIdentity identity_;
  SnapshotPtr applied_;
  std::uint64_t last_rejected_ = 0;

  bool stream_up_ = false;
  bool connecting_ = false;
  TimeNs reconnect_at_ = 0;  // when to (re)connect; kNever while up or connecting
  dataplane::RetryBackoff backoff_;
  TimeNs next_report_ = kNever;
  TimeNs next_telemetry_ = kNever;
  telemetry::RequestStats inbound_;

  ActionQueue<AgentAction> actions_;
};

}  // namespace meshproof::control
