// An X.509 certificate as the mesh uses it: an immutable, shared OpenSSL object with
// what the mesh reads from it parsed once: the SPIFFE ID (the URI SAN that starts
// with spiffe://), the serial number in hex, and the validity window as wall-clock
// nanoseconds since the Unix epoch.
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "mesh/core/time.h"
#include "mesh/identity/openssl_handles.h"

namespace meshproof::identity {

class Certificate {
 public:
  // Takes ownership; throws IdentityError when the validity dates cannot be read.
  static std::shared_ptr<const Certificate> adopt(X509Ptr x509);
  // One PEM certificate; throws IdentityError when it is not one.
  static std::shared_ptr<const Certificate> fromPem(std::string_view pem);

  // OpenSSL's object (const in spirit: never modify it; OpenSSL's verify API wants
  // a non-const pointer).
  X509* x509() const { return x509_.get(); }
  const std::string& spiffeId() const { return spiffe_id_; }  // empty when there is none
  const std::string& serialHex() const { return serial_hex_; }  // lower-case, no leading zeros
  TimeNs notBefore() const { return not_before_; }
  TimeNs notAfter() const { return not_after_; }
  bool isCa() const { return is_ca_; }
  std::string pem() const;

 private:
  explicit Certificate(X509Ptr x509);
  X509Ptr x509_;
  std::string spiffe_id_;
  std::string serial_hex_;
  TimeNs not_before_ = 0;
  TimeNs not_after_ = 0;
  bool is_ca_ = false;
};

using CertificatePtr = std::shared_ptr<const Certificate>;

// Wall-clock nanoseconds to whole seconds for OpenSSL (floor), and back.
std::int64_t wallSeconds(TimeNs wall);

}  // namespace meshproof::identity
