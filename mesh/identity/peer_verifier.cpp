// X509_verify_cert at an explicit time, then the SPIFFE identity checks.
#include "mesh/identity/peer_verifier.h"

#include <algorithm>

namespace meshproof::identity {

PeerVerifier::PeerVerifier(std::vector<CertificatePtr> trust_roots)
    : roots_(std::move(trust_roots)), store_(X509_STORE_new()) {
  check(store_ != nullptr, "creating a trust store");
  for (const auto& root : roots_) check(X509_STORE_add_cert(store_.get(), root->x509()) == 1, "adding a trust root");
}

std::string PeerVerifier::verifyChain(const CertificatePtr& peer, TimeNs wall_now) const {
  const std::int64_t now_s = wallSeconds(wall_now);
  if (auto it = verified_.find(peer.get()); it != verified_.end()) {
    if (it->second.leaf.lock() == peer && now_s >= it->second.from_s && now_s <= it->second.to_s) return {};
    if (it->second.leaf.expired()) verified_.erase(it);
  }
  ++chain_verifications_;
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  check(ctx != nullptr, "creating a verification context");
  check(X509_STORE_CTX_init(ctx.get(), store_.get(), peer->x509(), nullptr) == 1, "starting a verification");
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(now_s));
  X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_ANY);
  if (X509_verify_cert(ctx.get()) != 1) {
    std::string reason = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
    takeOpenSslError();
    return reason;
  }
  // The verified chain's common validity window.
  Verified entry{peer, wallSeconds(peer->notBefore()), wallSeconds(peer->notAfter())};
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
  for (int i = 1; chain != nullptr && i < sk_X509_num(chain); ++i)
    for (const auto& root : roots_)
      if (X509_cmp(root->x509(), sk_X509_value(chain, i)) == 0) {
        entry.from_s = std::max(entry.from_s, wallSeconds(root->notBefore()));
        entry.to_s = std::min(entry.to_s, wallSeconds(root->notAfter()));
      }
  verified_[peer.get()] = std::move(entry);
  return {};
}

VerifyResult PeerVerifier::verify(const CertificatePtr& peer, TimeNs wall_now,
                                  const std::vector<std::string>& expected_spiffe_ids) const {
  VerifyResult result;
  if (peer == nullptr) {
    result.reason = "the peer presented no certificate";
    return result;
  }
  result.spiffe_id = peer->spiffeId();
  result.reason = verifyChain(peer, wall_now);
  if (!result.reason.empty()) return result;
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
