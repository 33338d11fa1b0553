// The sidecar's TLS (OpenSSL through asio::ssl): a server context that asks every
// client for a certificate, a client context that presents the workload's, both
// using the workload's current certificate and key (swapped in when the agent
// rotates them, for the next handshakes). Peers are judged by the mesh's own rules
// (identity::PeerVerifier: chain at the node's clock, SPIFFE identity, the expected
// SAN on the client side) from OpenSSL's verify callback, so a refused certificate
// fails the handshake with a real TLS alert.
#pragma once
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mesh/core/clock.h"
#include "mesh/identity/peer_verifier.h"
#include "mesh/identity/workload_key.h"

namespace meshproof::live {

namespace ssl = boost::asio::ssl;

// What a handshake concluded about the peer.
struct PeerCheck {
  bool checked = false;            // the peer sent a certificate and the callback judged it
  identity::VerifyResult result;   // when checked
  identity::CertificatePtr certificate;
};

class TlsContexts {
 public:
  TlsContexts(const identity::PeerVerifier& verifier, const Clock& clock);

  // The workload's certificate and key (call again after a rotation).
  void install(const identity::CertificatePtr& certificate, const identity::WorkloadKey& key);
  bool installed() const { return installed_ != nullptr; }
  const identity::CertificatePtr& certificate() const { return installed_; }

  ssl::context& server() { return server_; }
  ssl::context& client() { return client_; }

  // A verify callback for one connection: judges the leaf with the verifier (and,
  // when `expected_spiffe_id` is given, that it is that identity), records the
  // outcome in `check`.
  std::function<bool(bool, ssl::verify_context&)> verifier(std::shared_ptr<PeerCheck> check,
                                                           std::string expected_spiffe_id) const;

 private:
  const identity::PeerVerifier& verifier_;
  const Clock& clock_;
  ssl::context server_;
  ssl::context client_;
  identity::CertificatePtr installed_;
};

}  // namespace meshproof::live
