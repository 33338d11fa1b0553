// The sidecar's TLS per request, without sockets: two TlsChannels (client and server
// sidecar, the mesh's own CA and SPIFFE certificates, TLS 1.3) handshake in memory,
// then one iteration carries one request (33 bytes, wrk's GET) and one answer (143
// bytes, the origin's 200) through them: SSL_write, the records moved across,
// SSL_read, both ways. The handshake itself is measured too (what a new pooled
// connection costs).
#include <benchmark/benchmark.h>

#include <string>

#include "mesh/core/rng.h"
#include "mesh/identity/certificate_authority.h"
#include "mesh/live/live_clock.h"
#include "mesh/live/proxy/tls_channel.h"
#include "mesh/live/proxy/tls_contexts.h"

namespace meshproof::live {
namespace {

const std::string kRequest = "GET / HTTP/1.1\r\nHost: backend\r\n\r\n";
const std::string kResponse =
    "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Wed, 02 Dec 2026 01:07:28 GMT\r\nContent-Type: "
    "text/plain\r\nContent-Length: 19\r\n\r\nhello from backend\n";

struct Side {
  Side(identity::CertificateAuthority& ca, const std::string& spiffe, const LiveClock& clock)
      : verifier({ca.root()}), tls(verifier, clock) {
    const identity::WorkloadKey key = identity::WorkloadKey::generate();
    const auto request = identity::CertificateRequest::create(key, spiffe);
    const identity::IssueResult issued = ca.issue(*request, spiffe, systemWallNs(), 3600 * kSecond);
    tls.install(issued.certificate, key);
  }
  identity::PeerVerifier verifier;
  TlsContexts tls;
};

struct Pair {
  LiveClock clock{monotonicNs()};
  identity::CertificateAuthority ca{"cluster.local", systemWallNs(), Rng(7).fork("bench-ca")};
  Side client_side{ca, "spiffe://cluster.local/ns/default/sa/bench", clock};
  Side server_side{ca, "spiffe://cluster.local/ns/default/sa/backend", clock};
};

// Moves `wire` into `to`, then clears it.
void carry(std::string& wire, TlsChannel& to) {
  to.input(wire.data(), wire.size());
  wire.clear();
}

bool handshake(TlsChannel& client, TlsChannel& server) {
  std::string c2s, s2c;
  for (int round = 0; round < 10; ++round) {
    const auto c = client.handshake(c2s);
    carry(c2s, server);
    const auto s = server.handshake(s2c);
    carry(s2c, client);
    if (c == TlsChannel::Status::kError || s == TlsChannel::Status::kError) return false;
    if (c == TlsChannel::Status::kDone && s == TlsChannel::Status::kDone) return true;
  }
  return false;
}

auto checks(Pair& pair, bool server) {
  auto check = std::make_shared<PeerCheck>();
  return (server ? pair.server_side : pair.client_side)
      .tls.verifier(check, server ? std::string() : "spiffe://cluster.local/ns/default/sa/backend");
}

void BM_TlsRequestAndResponse(benchmark::State& state) {
  Pair pair;
  TlsChannel client(pair.client_side.tls.client(), false, checks(pair, false));
  TlsChannel server(pair.server_side.tls.server(), true, checks(pair, true));
  if (!handshake(client, server)) {
    state.SkipWithError("handshake failed");
    return;
  }
  std::string wire, control;
  boost::beast::flat_buffer plain;
  // Whatever the handshake left (session tickets) is read once before measuring.
  client.read(plain, control);
  plain.consume(plain.size());
  for (auto _ : state) {
    client.write(kRequest, wire);
    carry(wire, server);
    server.read(plain, control);
    plain.consume(plain.size());
    server.write(kResponse, wire);
    carry(wire, client);
    client.read(plain, control);
    plain.consume(plain.size());
  }
}
BENCHMARK(BM_TlsRequestAndResponse);

void BM_TlsHandshake(benchmark::State& state) {
  Pair pair;
  for (auto _ : state) {
    TlsChannel client(pair.client_side.tls.client(), false, checks(pair, false));
    TlsChannel server(pair.server_side.tls.server(), true, checks(pair, true));
    if (!handshake(client, server)) state.SkipWithError("handshake failed");
  }
}
BENCHMARK(BM_TlsHandshake)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace meshproof::live
