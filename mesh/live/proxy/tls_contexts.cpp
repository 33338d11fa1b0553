// TLS contexts with the workload's identity and the mesh's peer verification.
#include "mesh/live/proxy/tls_contexts.h"

#include <openssl/ssl.h>

namespace meshproof::live {
namespace {

void configure(ssl::context& ctx) {
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                  ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
  // No TLS 1.2 renegotiation (Envoy allows none either): the connection moves the
  // bytes itself (tls_channel.h) and sends what a read produced with the next write.
  SSL_CTX_set_options(ctx.native_handle(), SSL_OP_NO_RENEGOTIATION);
  // The mesh judges every peer certificate itself (see verifier()).
  ctx.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
}

}  // namespace

TlsContexts::TlsContexts(const identity::PeerVerifier& verifier, const Clock& clock)
    : verifier_(verifier), clock_(clock), server_(ssl::context::tls_server), client_(ssl::context::tls_client) {
  configure(server_);
  configure(client_);
  for (const auto& root : verifier_.roots()) {
    X509_STORE_add_cert(SSL_CTX_get_cert_store(server_.native_handle()), root->x509());
    X509_STORE_add_cert(SSL_CTX_get_cert_store(client_.native_handle()), root->x509());
  }
  // Resumed sessions would skip the peer's certificate: every handshake is a full one.
  SSL_CTX_set_session_cache_mode(server_.native_handle(), SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(server_.native_handle(), SSL_OP_NO_TICKET);
  SSL_CTX_set_session_cache_mode(client_.native_handle(), SSL_SESS_CACHE_OFF);
}

void TlsContexts::install(const identity::CertificatePtr& certificate, const identity::WorkloadKey& key) {
  for (ssl::context* ctx : {&server_, &client_}) {
    identity::check(SSL_CTX_use_certificate(ctx->native_handle(), certificate->x509()) == 1,
                    "installing the workload certificate");
    identity::check(SSL_CTX_use_PrivateKey(ctx->native_handle(), key.pkey()) == 1, "installing the workload key");
  }
  installed_ = certificate;
}

std::function<bool(bool, ssl::verify_context&)> TlsContexts::verifier(std::shared_ptr<PeerCheck> check,
                                                                      std::string expected_spiffe_id) const {
  return [this, check = std::move(check), expected = std::move(expected_spiffe_id)](bool,
                                                                                      ssl::verify_context& ctx) {
    X509_STORE_CTX* store = ctx.native_handle();
    if (X509_STORE_CTX_get_error_depth(store) != 0) return true;  // the leaf's turn decides for the chain
    X509* leaf = X509_STORE_CTX_get_current_cert(store);
    if (leaf == nullptr) return false;
    X509_up_ref(leaf);
    check->certificate = identity::Certificate::adopt(identity::X509Ptr(leaf));
    check->result = expected.empty() ? verifier_.verify(check->certificate, clock_.wallNow())
                                     : verifier_.verify(check->certificate, clock_.wallNow(), {expected});
    check->checked = true;
    return check->result.ok;
  };
}

}  // namespace meshproof::live
