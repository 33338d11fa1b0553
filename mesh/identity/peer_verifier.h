// Verifying a peer's certificate as a sidecar does in the TLS handshake: OpenSSL's
// chain verification against the mesh's trust roots at the verifying node's own
// wall clock (the simulated one in sim, skewed by clock-skew; the real one live), so
// expiry, clock skew and a foreign CA fail exactly as they would in production; then
// Istio's identity rules: the leaf must carry a SPIFFE ID, and a client checks that
// the server's is one the destination may present.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "mesh/core/time.h"
#include "mesh/identity/certificate.h"

namespace meshproof::identity {

struct VerifyResult {
  bool ok = false;
  std::string spiffe_id;  // the leaf's SPIFFE ID (also when verification failed)
  std::string reason;     // OpenSSL's reason ("certificate has expired") or the identity rule broken
};

class PeerVerifier {
 public:
  explicit PeerVerifier(std::vector<CertificatePtr> trust_roots);

  // `peer` may be null: the peer sent no certificate. `expected_spiffe_ids` empty: any
  // SPIFFE ID from a trusted root is accepted (the server side; authorization comes later).
  VerifyResult verify(const Certificate* peer, TimeNs wall_now,
                      const std::vector<std::string>& expected_spiffe_ids = {}) const;

  const std::vector<CertificatePtr>& roots() const { return roots_; }

 private:
  std::vector<CertificatePtr> roots_;
  StorePtr store_;
};

}  // namespace meshproof::identity
