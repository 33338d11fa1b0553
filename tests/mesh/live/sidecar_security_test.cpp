// The live sidecar attacked as an attacker would: the zero-trust scenario's mesh
// (STRICT mTLS, deny by default) started with `meshproof up`, then a plaintext
// client, a certificate from another CA, an expired certificate, a valid identity the
// policy does not allow, malformed and oversized requests, and curl as a real client.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/ssl.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include "http_test_client.h"
#include "up_mesh.h"
#include "mesh/identity/certificate_authority.h"
#include "mesh/live/live_clock.h"
#include "mesh/live/proxy/tls_contexts.h"
#include "mesh/live/run_layout.h"

namespace meshproof::live {
namespace {

using testing::Client;
using testing::Reply;

class SidecarSecurity : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(mesh_.layout()) << "meshproof up did not get the zero-trust mesh ready"; }
  std::uint16_t ingress() const { return mesh_.port("ingress-gateway-0", &NodePorts::outbound); }
  std::uint16_t ledgerInbound() const { return mesh_.port("ledger-v1-0", &NodePorts::inbound); }
  Reply throughIngress() const {
    return Client(ingress()).request("GET", "/account", {}, {{"host", "teller"}});
  }
  // The first line of `node`'s access log holding `needle` (the log is flushed every
  // 100 ms; empty after 2 s without it).
  std::string accessLogLine(const std::string& node, const std::string& needle) const {
    for (int i = 0; i < 40; ++i) {
      std::ifstream in(mesh_.layout()->path(node + ".access.log"));
      for (std::string line; std::getline(in, line);)
        if (line.find(needle) != std::string::npos) return line;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return {};
  }
  UpMesh mesh_{std::string(MESHPROOF_SOURCE_DIR) + "/scenarios/zero-trust.yaml"};
};

// What a TLS client with `certificate` gets from the ledger sidecar's inbound port
// (0 when the sidecar ends the connection without an HTTP answer).
int ledgerStatusWith(std::uint16_t port, const identity::CertificatePtr& certificate, const identity::WorkloadKey& key,
                     const identity::CertificatePtr& root) {
  namespace asio = boost::asio;
  identity::PeerVerifier verifier({root});
  LiveClock clock(monotonicNs());
  TlsContexts tls(verifier, clock);
  tls.install(certificate, key);
  asio::io_context io;
  asio::ssl::stream<asio::ip::tcp::socket> stream(io, tls.client());
  stream.set_verify_mode(asio::ssl::verify_none);  // the attacker does not care who answers
  boost::system::error_code ec;
  stream.next_layer().connect({asio::ip::address_v4::loopback(), port}, ec);
  if (ec) return -1;
  timeval tv{2, 0};
  ::setsockopt(stream.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  stream.handshake(asio::ssl::stream_base::client, ec);
  if (ec) return 0;
  namespace bhttp = boost::beast::http;
  bhttp::request<bhttp::string_body> request{bhttp::verb::get, "/balance", 11};
  request.set(bhttp::field::host, "ledger");
  bhttp::write(stream, request, ec);
  if (ec) return 0;
  boost::beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> response;
  bhttp::read(stream, buffer, response, ec);
  return ec ? 0 : static_cast<int>(response.result_int());
}

TEST_F(SidecarSecurity, TheAllowedPathAnswersAndCurlGetsThroughTheIngress) {
  EXPECT_EQ(throughIngress().status, 200);
  const std::string command = "curl -s -o /dev/null -w '%{http_code}' -H 'Host: teller' http://127.0.0.1:" +
                              std::to_string(ingress()) + "/account";
  FILE* curl = ::popen(command.c_str(), "r");
  ASSERT_NE(curl, nullptr);
  char code[8] = {};
  const std::size_t n = std::fread(code, 1, sizeof code - 1, curl);
  ::pclose(curl);
  EXPECT_EQ(std::string(code, n), "200");

  // What Prometheus scrapes from teller's sidecar, and the ingress gateway's access log
  // (Envoy's default format, flushed every 100 ms).
  const Reply stats = testing::get(mesh_.port("teller-v1-0", &NodePorts::admin), "/stats");
  EXPECT_EQ(stats.status, 200);
  EXPECT_NE(stats.body.find("# TYPE istio_requests_total counter"), std::string::npos);
  EXPECT_NE(stats.body.find("istio_requests_total{reporter=\"destination\""), std::string::npos)
      << stats.body.substr(0, 2000);
  EXPECT_NE(stats.body.find("destination_service=\"teller\""), std::string::npos);
  EXPECT_NE(stats.body.find("istio_request_duration_milliseconds_bucket{"), std::string::npos);
  EXPECT_NE(accessLogLine("ingress-gateway-0", "\"GET /account HTTP/1.1\" 200"), "");

  // Every field of Envoy's default line, from the request the client sent and the
  // response it got: a 5-byte body in, the response's body size out, the headers.
  const Reply account = Client(ingress()).request(
      "GET", "/account", "ping!",
      {{"host", "teller"}, {"user-agent", "meshproof-test/1"}, {"x-request-id", "req-42"},
       {"x-forwarded-for", "203.0.113.9"}});
  ASSERT_EQ(account.status, 200);
  const std::string line = accessLogLine("ingress-gateway-0", "\"req-42\"");
  const std::regex envoy_default(
      R"(\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] "GET /account HTTP/1\.1" 200 - 5 )" +
      std::to_string(account.body.size()) +
      R"( \d+ - "203\.0\.113\.9" "meshproof-test/1" "req-42" "teller" "teller-v1-\d")");
  EXPECT_TRUE(std::regex_match(line, envoy_default)) << line;
}

TEST_F(SidecarSecurity, APlaintextClientToAStrictSidecarIsRefused) {
  const Reply reply = Client(ledgerInbound()).request("GET", "/balance", {}, {{"host", "ledger"}});
  EXPECT_EQ(reply.status, 503);
  EXPECT_EQ(reply.header("x-meshproof-flags"), "UMTLS");
}

TEST_F(SidecarSecurity, ACertificateFromAnotherCaIsRefused) {
  // A CA of the same trust domain that the mesh never trusted, signing the very
  // identity ledger admits.
  identity::CertificateAuthority foreign("cluster.local", systemWallNs(), Rng(99).fork("foreign"));
  const identity::WorkloadKey key = identity::WorkloadKey::generate();
  const auto request = identity::CertificateRequest::create(key, "spiffe://cluster.local/ns/bank/sa/teller");
  const identity::IssueResult issued =
      foreign.issue(*request, "spiffe://cluster.local/ns/bank/sa/teller", systemWallNs(), 3600 * kSecond);
  ASSERT_NE(issued.certificate, nullptr) << issued.denied;
  EXPECT_EQ(ledgerStatusWith(ledgerInbound(), issued.certificate, key, foreign.root()), 0);
  EXPECT_TRUE(mesh_.eventuallyInEvents("ledger-v1-0", "\"state\":\"rejected\""));
  EXPECT_EQ(throughIngress().status, 200) << "the sidecar must keep serving everyone else";
}

TEST_F(SidecarSecurity, AnExpiredCertificateIsRefused) {
  // ledger's clock two days ahead: the intruder sidecar's (genuine) certificate, a day
  // long at most, has expired by it. The refusal is a TLS failure, before authorization.
  const std::uint16_t admin = mesh_.port("ledger-v1-0", &NodePorts::admin);
  for (const char* ledger : {"ledger-v1-0", "ledger-v1-1"}) {
    Client skew(mesh_.port(ledger, &NodePorts::admin));
    ASSERT_EQ(skew.request("PUT", "/fault/clock-skew", R"({"offset_ms": 172800000})").status, 200);
  }
  const Reply reply = Client(mesh_.port("client-intruder", &NodePorts::outbound))
                          .request("GET", "/balance", {}, {{"host", "ledger"}});
  EXPECT_EQ(reply.status, 503);
  EXPECT_NE(reply.header("x-meshproof-flags"), "RBAC");
  EXPECT_TRUE(mesh_.eventuallyInEvents("ledger-v1-0", "expired") ||
              mesh_.eventuallyInEvents("ledger-v1-1", "expired"));
  Client unskew(admin);
  EXPECT_EQ(unskew.request("DELETE", "/fault/clock-skew").status, 200);
}

TEST_F(SidecarSecurity, AValidIdentityThePolicyDoesNotAllowGets403) {
  const Reply reply = Client(mesh_.port("client-intruder", &NodePorts::outbound))
                          .request("GET", "/balance", {}, {{"host", "ledger"}});
  EXPECT_EQ(reply.status, 403);
  EXPECT_EQ(reply.header("x-meshproof-flags"), "RBAC");
  EXPECT_EQ(reply.body, "RBAC: access denied");
  // Logged on both sides with the 19 bytes of the denial: ledger's sidecar made the
  // reply, the intruder's passed it on.
  EXPECT_NE(accessLogLine("client-intruder", "\"GET /balance HTTP/1.1\" 403 RBAC 0 19 "), "");
  const std::string denied = "\"GET /balance HTTP/1.1\" 403 RBAC 0 19 ";
  EXPECT_TRUE(accessLogLine("ledger-v1-0", denied) != "" || accessLogLine("ledger-v1-1", denied) != "");
}

TEST_F(SidecarSecurity, MalformedAndOversizedRequestsGet4xxAndEveryoneElseIsServed) {
  Client bystander(ingress());  // a keep-alive connection open all along
  EXPECT_EQ(bystander.request("GET", "/account", {}, {{"host", "teller"}}).status, 200);

  Client garbage(ingress());
  garbage.sendRaw("NOT HTTP AT ALL\r\n\r\n");
  EXPECT_EQ(garbage.receive().status, 400);

  Client huge_header(ingress());
  huge_header.sendRaw("GET /account HTTP/1.1\r\nHost: teller\r\nX-Big: " + std::string(100 * 1024, 'a') + "\r\n\r\n");
  EXPECT_EQ(huge_header.receive().status, 431);

  Client huge_body(ingress());
  huge_body.sendRaw("POST /account HTTP/1.1\r\nHost: teller\r\nContent-Length: 104857600\r\n\r\n");
  EXPECT_EQ(huge_body.receive().status, 413);

  EXPECT_EQ(bystander.request("GET", "/account", {}, {{"host", "teller"}}).status, 200);
  EXPECT_EQ(throughIngress().status, 200);
}

}  // namespace
}  // namespace meshproof::live
