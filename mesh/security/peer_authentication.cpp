// PeerAuthentication mode resolution and the per-connection accept/reject table.
#include "mesh/security/peer_authentication.h"

#include "mesh/security/spiffe_id.h"

namespace meshproof::security {
namespace {

// Higher is more specific; 0: the entry does not apply to the workload.
int specificity(const config::PeerAuthentication& entry, std::string_view ns, std::string_view service) {
  if (!entry.service.empty()) {
    if (entry.service != service) return 0;
    if (entry.namespace_.empty()) return 3;
    return entry.namespace_ == ns ? 4 : 0;
  }
  if (!entry.namespace_.empty()) return entry.namespace_ == ns ? 2 : 0;
  return 1;
}

PeerAdmission reject(std::string reason) {
  PeerAdmission a;
  a.accepted = false;
  a.flags = kMtlsRejected;
  a.reason = std::move(reason);
  return a;
}

PeerAdmission acceptPlaintext() {
  PeerAdmission a;
  a.accepted = true;
  return a;
}

PeerAdmission acceptMtls(std::string_view spiffe_uri) {
  if (std::string error = spiffeIdError(spiffe_uri); !error.empty())
    return reject("peer certificate URI SAN is not an Istio SPIFFE ID: " + error);
  PeerAdmission a;
  a.accepted = true;
  a.mtls = true;
  a.principal = principalOfUri(spiffe_uri);  // a well-formed ID's principal is the URI without its scheme
  return a;
}

}  // namespace

config::MtlsMode resolveMtlsMode(const config::MeshSettings& mesh,
                                 const std::vector<config::PeerAuthentication>& entries,
                                 std::string_view workload_namespace, std::string_view workload_service) {
  config::MtlsMode mode = mesh.mtls;
  int best = 0;
  for (const auto& entry : entries) {
    const int s = specificity(entry, workload_namespace, workload_service);
    if (s > best) {  // strictly greater: the first entry of a level wins
      best = s;
      mode = entry.mode;
    }
  }
  return mode;
}

PeerAdmission admitPeer(config::MtlsMode mode, const PeerConnection& peer) {
  switch (peer.transport) {
    case PeerTransport::kTlsWithoutValidCert:
      return reject("TLS without a valid client certificate");
    case PeerTransport::kPlaintext:
      if (mode == config::MtlsMode::kStrict) return reject("plaintext under STRICT mTLS");
      return acceptPlaintext();
    case PeerTransport::kMtls:
      if (mode == config::MtlsMode::kDisable) return reject("mTLS to a workload with mTLS DISABLE");
      return acceptMtls(peer.spiffe_uri);
  }
  return reject("unknown peer transport");
}

bool clientOriginatesMtls(config::MtlsMode server_mode) { return server_mode != config::MtlsMode::kDisable; }

std::string_view mtlsModeName(config::MtlsMode mode) {
  switch (mode) {
    case config::MtlsMode::kStrict: return "STRICT";
    case config::MtlsMode::kPermissive: return "PERMISSIVE";
    case config::MtlsMode::kDisable: return "DISABLE";
  }
  return "?";
}

}  // namespace meshproof::security
