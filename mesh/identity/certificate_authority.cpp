// Root creation and workload certificate signing with OpenSSL's X509 API.
#include "mesh/identity/certificate_authority.h"

#include <openssl/asn1.h>

#include <stdexcept>

#include "mesh/identity/public_key_info.h"

namespace meshproof::identity {
namespace {

constexpr DurationNs kDay = 24 * kHour;

void addExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  check(ext != nullptr, "encoding a certificate extension");
  check(X509_add_ext(cert, ext.get(), -1) == 1, "adding a certificate extension");
}

void setValidity(X509* cert, TimeNs not_before, TimeNs not_after) {
  check(ASN1_TIME_set(X509_getm_notBefore(cert), static_cast<time_t>(wallSeconds(not_before))) != nullptr,
        "setting notBefore");
  check(ASN1_TIME_set(X509_getm_notAfter(cert), static_cast<time_t>(wallSeconds(not_after))) != nullptr,
        "setting notAfter");
}

void setSerial(X509* cert, std::uint64_t serial) {
  check(ASN1_INTEGER_set_uint64(X509_get_serialNumber(cert), serial) == 1, "setting the serial number");
}

}  // namespace

CertificateAuthority::CertificateAuthority(std::string trust_domain, TimeNs now_wall, Rng serials)
    : trust_domain_(std::move(trust_domain)), serials_(serials), key_(WorkloadKey::generate()) {
  X509Ptr cert(X509_new());
  check(cert != nullptr, "creating the root certificate");
  check(X509_set_version(cert.get(), 2) == 1, "setting the root's version");
  setSerial(cert.get(), nextSerial());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(trust_domain_.c_str()),
                             -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("meshproof root CA"),
                             -1, -1, 0);
  check(X509_set_issuer_name(cert.get(), name) == 1, "setting the root's issuer");
  setValidity(cert.get(), now_wall - 365 * kDay, now_wall + 10 * 365 * kDay);
  setCertificatePublicKey(cert.get(), key_.pkey());
  addExtension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  addExtension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  addExtension(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
  check(X509_sign(cert.get(), key_.pkey(), sha256()) > 0, "signing the root certificate");
  root_ = Certificate::adopt(std::move(cert));
}

CertificateAuthority::CertificateAuthority(std::string trust_domain, WorkloadKey key, CertificatePtr root,
                                           Rng serials)
    : trust_domain_(std::move(trust_domain)), serials_(serials), key_(std::move(key)), root_(std::move(root)) {
  if (!root_ || !key_.matches(root_->x509())) throw std::invalid_argument("the CA key is not the root's");
}

std::uint64_t CertificateAuthority::nextSerial() { return (serials_.next() >> 1) | 1; }  // positive, never 0

IssueResult CertificateAuthority::issue(const CertificateRequest& request, const std::string& entitled_spiffe_id,
                                        TimeNs now_wall, DurationNs ttl) {
  if (revoked_) return {nullptr, "the mesh CA is revoked"};
  if (!request.signatureValid()) return {nullptr, "the request's signature does not verify"};
  if (request.requestedSpiffeId() != entitled_spiffe_id)
    return {nullptr, "the request asks for " +
                         (request.requestedSpiffeId().empty() ? std::string("no SPIFFE ID")
                                                              : request.requestedSpiffeId()) +
                         ", the caller is " + entitled_spiffe_id};
  X509Ptr cert(X509_new());
  check(cert != nullptr, "creating a workload certificate");
  check(X509_set_version(cert.get(), 2) == 1, "setting the version");
  setSerial(cert.get(), nextSerial());
  check(X509_set_issuer_name(cert.get(), X509_get_subject_name(root_->x509())) == 1, "setting the issuer");
  setValidity(cert.get(), now_wall, now_wall + ttl);
  setCertificatePublicKey(cert.get(), X509_REQ_get0_pubkey(request.req()));
  addExtension(cert.get(), root_->x509(), NID_basic_constraints, "critical,CA:FALSE");
  addExtension(cert.get(), root_->x509(), NID_key_usage, "critical,digitalSignature,keyEncipherment");
  addExtension(cert.get(), root_->x509(), NID_ext_key_usage, "serverAuth,clientAuth");
  addExtension(cert.get(), root_->x509(), NID_subject_alt_name, "critical,URI:" + entitled_spiffe_id);
  addExtension(cert.get(), root_->x509(), NID_authority_key_identifier, "keyid:always");
  check(X509_sign(cert.get(), key_.pkey(), sha256()) > 0, "signing a workload certificate");
  ++issued_;
  return {Certificate::adopt(std::move(cert)), {}};
}

}  // namespace meshproof::identity
