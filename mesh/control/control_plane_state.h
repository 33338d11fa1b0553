// What a control plane that restarts carries on from: what istiod finds in
// Kubernetes when its process comes back. That is the registry's readiness (the
// endpoints, kept by the API server), the scenario changes applied so far (kept
// there as resources), Flagger's canary status, the nodes the CA has signed for,
// and the last version number published, so that the versions go on rising for
// the sidecars. The CA's key is kept apart, as istio-ca-secret is (see
// mesh/live/control/control_state_file.h).
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "mesh/control/canary_analysis.h"

namespace meshproof::control {

struct ControlPlaneState {
  std::uint64_t version = 1;             // the last version published
  std::size_t changes_applied = 0;       // scenario changes, in order
  std::vector<CanaryProgress> canaries;  // one per scenario canary, in order
  std::set<std::string> certified;       // nodes the CA has signed for
  std::map<std::string, bool> ready;     // instance -> ready in the registry
  bool operator==(const ControlPlaneState&) const = default;
};

// A restart: the state the control plane left, and the readiness its instances'
// nodes report now (a change made while it was down is an endpoint event of the
// restart, and in the version it publishes).
struct ControlPlaneRestart {
  ControlPlaneState state;
  std::map<std::string, std::pair<bool, std::string>> readiness;  // instance -> (ready, reason)
};

}  // namespace meshproof::control
