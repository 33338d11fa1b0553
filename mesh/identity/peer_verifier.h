// Verifying a peer's certificate as a sidecar does in the TLS handshake: OpenSSL's
// chain verification against the mesh's trust roots at the verifying node's own
// wall clock (the simulated one in sim, skewed by clock-skew; the real one live), so
// expiry, clock skew and a foreign CA fail exactly as they would in production; then
// Istio's identity rules: the leaf must carry a SPIFFE ID, and a client checks that
// the server's is one the destination may present.
//
// A chain that OpenSSL verified stays valid for as long as the verifying clock is
// inside every certificate's validity window (signatures do not change), so a
// verified leaf is remembered with that window and a later handshake inside it skips
// the signature checks; outside it OpenSSL verifies again (and says why it fails).
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
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
  VerifyResult verify(const CertificatePtr& peer, TimeNs wall_now,
                      const std::vector<std::string>& expected_spiffe_ids = {}) const;

  const std::vector<CertificatePtr>& roots() const { return roots_; }
  std::uint64_t chainVerifications() const { return chain_verifications_; }

 private:
  struct Verified {
    std::weak_ptr<const Certificate> leaf;  // the entry is stale once the leaf is gone
    std::int64_t from_s = 0;                // the chain's validity, in whole seconds as OpenSSL compares
    std::int64_t to_s = 0;
  };
  // OpenSSL's verdict on the chain at `wall_now`: empty when it verifies.
  std::string verifyChain(const CertificatePtr& peer, TimeNs wall_now) const;

  std::vector<CertificatePtr> roots_;
  StorePtr store_;
  mutable std::unordered_map<const Certificate*, Verified> verified_;  // looked up, never iterated
  mutable std::uint64_t chain_verifications_ = 0;
};

}  // namespace meshproof::identity
