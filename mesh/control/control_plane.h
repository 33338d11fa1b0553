// The control plane (istiod in small, with a Flagger-like canary controller) as a
// sans-I/O state machine. It
//   - keeps the desired configuration: the scenario's mesh sections, the changes
//     applied so far (at their `at`) and the canaries' current weights;
//   - publishes numbered snapshots of it with the ready endpoints of the registry,
//     debounced as istiod does (100 ms after the last change, at most 10 s after the
//     first), and pushes each to every connected sidecar; re-pushes to a sidecar whose
//     version report shows an older version (a push lost on the way) unless it NACKed
//     that version;
//   - is the mesh CA: signs a sidecar's certificate request for the identity the
//     registry entitles it to;
//   - runs the canary analyses on the telemetry reports of the canary subsets.
// Drivers feed it what arrives on the sidecars' streams and carry out pollAction();
// `stop()` and `start()` are the control-plane-down fault: while stopped nothing is
// served and no timer runs; what Kubernetes would keep (configuration, changes,
// registrations and readiness, canary state) survives and keeps changing (the
// registry hears of readiness from the nodes, not from this process); the streams
// do not survive. A control plane whose process stopped (live mode) is built again
// from the ControlPlaneState it left (`ControlPlaneSpec::resume`): it publishes the
// next version at once, with the endpoints and changes it finds, and carries on.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "mesh/core/action_queue.h"
#include "mesh/control/canary_analysis.h"
#include "mesh/control/canary_metrics.h"
#include "mesh/control/control_plane_state.h"
#include "mesh/control/messages.h"
#include "mesh/control/registry.h"
#include "mesh/core/clock.h"
#include "mesh/identity/certificate_authority.h"
#include "mesh/scenario/plan.h"

namespace meshproof::control {

struct ControlPlaneSettings {
  DurationNs debounce = 100 * kMillisecond;  // istiod's PILOT_DEBOUNCE_AFTER
  DurationNs debounce_max = 10 * kSecond;    // istiod's PILOT_DEBOUNCE_MAX
};

struct ControlPlaneSpec {
  config::MeshConfig mesh;
  std::vector<scenario::ConfigChange> changes;
  std::vector<scenario::Canary> canaries;
  std::vector<InstanceRecord> instances;  // registered at the start
  bool instances_ready = true;            // ... and ready (false: live mode, where they start up)
  std::vector<std::pair<std::string, std::string>> clients;  // (node, SPIFFE ID): gateway, client sidecars
  ControlPlaneSettings settings;
  // Set: a restart, carrying on from this state (it must come from the same spec).
  std::optional<ControlPlaneRestart> resume;
};

struct Outgoing {
  std::string node;
  ToSidecar message;
};

class ControlPlane {
 public:
  ControlPlane(ControlPlaneSpec spec, const Clock& clock, identity::CertificateAuthority& ca, EventSink& sink);

  // Version 1, published at the start (the mesh was running before the run); after a
  // restart, the version after the last one published before it.
  const SnapshotPtr& current() const { return current_; }
  // A certificate for a node at the start (as if issued before the run).
  identity::CertificatePtr bootstrapCertificate(const std::string& node, const identity::WorkloadKey& key);

  // ---- the sidecars' streams ----
  void receive(const std::string& node, const ToControlPlane& message);
  // The stream ended (the node's process died, or the connection was cut).
  void streamClosed(const std::string& node);

  // ---- the registry (Kubernetes' endpoints) ----
  // The instance's readiness as its node reports it (the kubelet and the sidecar's
  // readiness probe); also while the control plane is down: the new endpoints are
  // published once it is back.
  void instanceStatus(const std::string& node, bool ready, const std::string& reason);

  // ---- control-plane-down, revoke-ca ----
  void stop();
  void start();
  bool running() const { return running_; }
  identity::CertificateAuthority& ca() { return ca_; }

  // ---- time and actions ----
  TimeNs nextDeadline() const;
  void advance();
  bool pollAction(Outgoing& out);

  std::uint64_t versionsPublished() const { return current_ ? current_->version : 0; }
  // What a restart carries on from (see ControlPlaneState).
  ControlPlaneState state() const;

 private:
  struct Stream {
    std::uint64_t applied = 0;  // the version the node says it runs
    std::uint64_t rejected = 0;
    std::uint64_t pushed = 0;
  };
  struct Analysis {
    CanaryAnalysis analysis;
    std::string service;
    std::string canary;
  };

  void resume(const ControlPlaneRestart& restart);
  void markDirty(std::string cause, std::string change = {});
  void publish();
  void pushIfBehind(const std::string& node, Stream& stream);
  void signRequest(const std::string& node, const CertificateSigningRequest& csr);
  void applyDueChanges(TimeNs now);
  void runDueChecks(TimeNs now);
  ConfigRecipe recipe() const;
  SnapshotPtr makeSnapshot(std::uint64_t version) const;

  ControlPlaneSpec spec_;
  const Clock& clock_;
  identity::CertificateAuthority& ca_;
  EventSink& sink_;
  Registry registry_;
  CanaryMetrics metrics_;
  std::vector<Analysis> analyses_;
  std::vector<std::string> telemetry_services_;

  config::MeshConfig desired_;  // mesh sections + the changes applied so far (canary weights apart)
  std::size_t next_change_ = 0;
  SnapshotPtr current_;
  std::vector<std::string> dirty_causes_;
  std::vector<std::string> dirty_changes_;
  TimeNs first_dirty_ = kNever;
  TimeNs last_dirty_ = kNever;

  bool running_ = true;
  std::map<std::string, Stream> streams_;   // connected nodes
  std::set<std::string> certified_;         // nodes the CA has signed for (rotation vs first issue)
  ActionQueue<Outgoing> actions_;
};

}  // namespace meshproof::control
