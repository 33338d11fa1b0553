// X509_verify_cert at an explicit time, then the SPIFFE identity checks.
#include "mesh/identity/peer_verifier.h"

#include <algorithm>

namespace meshproof::identity {

PeerVerifier::PeerVerifier(std::vector<CertificatePtr> trust_roots)
    : roots_(std::move(trust_roots)), store_(X509_STORE_new()) {
  check(store_ != nullptr, "creating a trust store");
  for (const auto& root : roots_) check(X509_STORE_add_cert(store_.get(), root->x509()) == 1, "adding a trust root");
}

VerifyResult PeerVerifier::verify(const Certificate* peer, TimeNs wall_now,
                                  const std::vector<std::string>& expected_spiffe_ids) const {
  VerifyResult result;
  if (peer == nullptr) {
    result.reason = "the peer presented no certificate";
    return result;
  }
  result.spiffe_id = peer->spiffeId();
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  check(ctx != nullptr, "creating a verification context");
  check(X509_STORE_CTX_init(ctx.get(), store_.get(), peer->x509(), nullptr) == 1, "starting a verification");
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(wallSeconds(wall_now)));
  X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_ANY);
  if (X509_verify_cert(ctx.get()) != 1) {
    result.reason = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
    takeOpenSslError();
    return result;
  }
  if (result.spiffe_id.empty()) {
    result.reason = "the certificate carries no SPIFFE ID";
    return result;
  }
  if (!expected_spiffe_ids.empty() &&
      std::find(expected_spiffe_ids.begin(), expected_spiffe_ids.end(), result.spiffe_id) ==
          expected_spiffe_ids.end()) {
    result.reason = "SAN " + result.spiffe_id + " is not the destination's identity " + expected_spiffe_ids.front();
    return result;
  }
  result.ok = true;
  return result;
}

}  // namespace meshproof::identity
