// The mesh CA (Istio's istiod CA, in small): a self-signed ECDSA P-256 root and, per
// workload, short-lived X.509 certificates whose only name is the URI SAN
// spiffe://<trustDomain>/ns/<ns>/sa/<sa>. Times are wall-clock nanoseconds handed in
// (the simulated or the real clock: the CA never reads one); serial numbers come from
// the seeded Rng, so a trace that shows them replays from its seed. `revoke()` is the
// revoke-ca fault: the CA refuses to sign until `restore()`.
#pragma once
#include <optional>
#include <string>

#include "mesh/core/rng.h"
#include "mesh/core/time.h"
#include "mesh/identity/certificate.h"
#include "mesh/identity/workload_key.h"

namespace meshproof::identity {

struct IssueResult {
  CertificatePtr certificate;  // set on success
  std::string denied;          // why the CA refused, when it did
};

class CertificateAuthority {
 public:
  // A new root, valid from a year before `now_wall` for ten years.
  CertificateAuthority(std::string trust_domain, TimeNs now_wall, Rng serials);
  // The CA a restarted control plane finds in its secret: `root` and its `key`
  // (throws std::invalid_argument when they do not belong together).
  CertificateAuthority(std::string trust_domain, WorkloadKey key, CertificatePtr root, Rng serials);

  const CertificatePtr& root() const { return root_; }
  const std::string& trustDomain() const { return trust_domain_; }
  const WorkloadKey& key() const { return key_; }

  // Signs `request` for `entitled_spiffe_id`, the identity the caller proved (the
  // registry's record of the workload, as istiod trusts the service-account token):
  // refused when the request asks for another identity, its signature does not
  // verify, or the CA is revoked. Valid from `now_wall` for `ttl`.
  IssueResult issue(const CertificateRequest& request, const std::string& entitled_spiffe_id, TimeNs now_wall,
                    DurationNs ttl);

  void revoke() { revoked_ = true; }
  void restore() { revoked_ = false; }
  bool revoked() const { return revoked_; }
  std::uint64_t issued() const { return issued_; }

 private:
  std::uint64_t nextSerial();

  std::string trust_domain_;
  Rng serials_;
  WorkloadKey key_;
  CertificatePtr root_;
  bool revoked_ = false;
  std::uint64_t issued_ = 0;
};

}  // namespace meshproof::identity
