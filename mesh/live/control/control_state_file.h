// The live control plane's durable state in the run directory: what lets its
// process be stopped (the control-plane-down fault) and started again as istiod's
// pod would be, carrying on where it was.
//   ca.pem, ca-key.pem (0600)        the mesh CA (istio-ca-secret): one root for the run
//   control-plane.state.json         ControlPlaneState apart from readiness, and how
//                                    many times the process has started
//   registry/<instance>.json         {"ready": bool, "reason": text}: the readiness the
//                                    instance's node reported (the kubelet writing to
//                                    the API server). Its writers (the sidecar, the
//                                    orchestrator when it kills a process) write the
//                                    file first and then tell a running control plane,
//                                    so nothing reported while it is down is lost.
#pragma once
#include <map>
#include <optional>
#include <string>

#include "mesh/control/control_plane_state.h"
#include "mesh/identity/certificate_authority.h"
#include "mesh/live/run_layout.h"

namespace meshproof::live {

struct SavedControlPlane {
  control::ControlPlaneState state;  // readiness from the registry files
  unsigned starts = 0;               // process starts so far
  bool ca_revoked = false;           // the revoke-ca fault was on
  bool operator==(const SavedControlPlane&) const = default;
};

// Throws std::runtime_error naming the file when one is there but unreadable.
std::optional<SavedControlPlane> readControlPlaneState(const RunLayout& layout);
void writeControlPlaneState(const RunLayout& layout, const SavedControlPlane& saved);

// The CA saved by an earlier start, or nullopt at the first.
std::optional<identity::CertificateAuthority> readCa(const RunLayout& layout, const std::string& trust_domain,
                                                     Rng serials);
void writeCa(const RunLayout& layout, const identity::CertificateAuthority& ca);

void writeReadiness(const RunLayout& layout, const std::string& instance, bool ready, const std::string& reason);
// instance -> (ready, reason), for every instance that reported.
std::map<std::string, std::pair<bool, std::string>> readReadiness(const RunLayout& layout);

}  // namespace meshproof::live
