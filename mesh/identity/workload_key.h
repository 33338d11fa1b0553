// A workload's key pair (ECDSA P-256, as Istio's ECC option) and the certificate
// signing request that asks the mesh CA for a SPIFFE identity. Key material comes
// from OpenSSL's CSPRNG: keys and signatures are random by nature, and nothing of
// them reaches a trace (serial numbers come from the seeded Rng, see the CA).
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "mesh/identity/openssl_handles.h"

namespace meshproof::identity {

class WorkloadKey {
 public:
  static WorkloadKey generate();  // a fresh ECDSA P-256 key
  static WorkloadKey fromPem(std::string_view pem);
  EVP_PKEY* pkey() const { return key_.get(); }
  std::string privatePem() const;
  // Whether `certificate` is for this key (its public key is this key's).
  bool matches(X509* certificate) const;

 private:
  explicit WorkloadKey(PkeyPtr key) : key_(std::move(key)) {}
  std::shared_ptr<EVP_PKEY> key_;
};

// A PKCS#10 request: the public key and the requested SPIFFE URI SAN, signed with the
// private key so the CA knows the requester holds it.
class CertificateRequest {
 public:
  static std::shared_ptr<const CertificateRequest> create(const WorkloadKey& key, const std::string& spiffe_uri);
  static std::shared_ptr<const CertificateRequest> fromPem(std::string_view pem);
  X509_REQ* req() const { return req_.get(); }
  // The URI SAN it asks for (empty when it has none).
  const std::string& requestedSpiffeId() const { return spiffe_id_; }
  // The signature is valid for the public key it carries.
  bool signatureValid() const;
  std::string pem() const;

 private:
  explicit CertificateRequest(X509ReqPtr req);
  X509ReqPtr req_;
  std::string spiffe_id_;
};

using CertificateRequestPtr = std::shared_ptr<const CertificateRequest>;

}  // namespace meshproof::identity
