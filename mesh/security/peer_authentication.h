// PeerAuthentication: which mTLS mode applies to a workload (service over namespace
// over mesh-wide entry over MeshSettings::mtls) and whether an incoming connection is
// admitted under that mode, with the authenticated peer principal.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "mesh/config/model.h"
#include "mesh/core/http.h"

namespace meshproof::security {

// The effective mTLS mode of the workload (`workload_namespace`, `workload_service`).
// Precedence, as Istio's "workload-specific over namespace-wide over mesh-wide":
//   1. an entry naming the service and this namespace,
//   2. an entry naming the service with no namespace,
//   3. an entry naming this namespace with no service,
//   4. a mesh-wide entry (neither namespace nor service),
//   5. `mesh.mtls`.
// Several entries at one level: the first in list order wins (Istio takes the oldest).
config::MtlsMode resolveMtlsMode(const config::MeshSettings& mesh,
                                 const std::vector<config::PeerAuthentication>& entries,
                                 std::string_view workload_namespace, std::string_view workload_service);

// What the downstream peer presented on the connection.
enum class PeerTransport {
  kMtls,                // TLS with a client certificate that validated against the mesh CA
  kPlaintext,           // no TLS at all
  kTlsWithoutValidCert  // TLS with a missing, expired or untrusted client certificate
};

struct PeerConnection {
  PeerTransport transport = PeerTransport::kPlaintext;
  std::string_view spiffe_uri;  // kMtls: the certificate's URI SAN (spiffe://...); else ignored
};

struct PeerAdmission {
  bool accepted = false;
  ResponseFlags flags = kNoFlags;  // kMtlsRejected (UMTLS) when not accepted
  bool mtls = false;               // the connection is mutually authenticated
  std::string principal;           // <td>/ns/<ns>/sa/<sa>; empty for plaintext
  std::string reason;              // why it was rejected; empty when accepted
};

// Server side of a connection under `mode`:
//   STRICT     accepts valid mTLS only.
//   PERMISSIVE accepts valid mTLS and plaintext; TLS without a valid client cert is rejected.
//   DISABLE    accepts plaintext only: the inbound sidecar has no TLS filter chain, so a
//              client that starts mTLS fails its handshake (istio/istio#32079: client sees
//              TLS WRONG_VERSION_NUMBER, the server logs 400 DPE). Meshed clients do not
//              start mTLS towards DISABLE workloads (see clientOriginatesMtls).
// mTLS whose URI SAN is not a well-formed Istio SPIFFE ID is rejected too.
PeerAdmission admitPeer(config::MtlsMode mode, const PeerConnection& peer);

// Whether a meshed client (auto mTLS) originates mTLS towards a server whose effective
// mode is `server_mode`: Istio's auto mTLS sends plaintext when PeerAuthentication
// disables mTLS at any level (pilot mtlsChecker.isMtlsDisabled), mTLS otherwise.
bool clientOriginatesMtls(config::MtlsMode server_mode);

// "STRICT" | "PERMISSIVE" | "DISABLE"
std::string_view mtlsModeName(config::MtlsMode mode);

}  // namespace meshproof::security
