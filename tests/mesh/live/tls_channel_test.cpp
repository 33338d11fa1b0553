// The sidecar's TLS between memory BIOs (tls_channel.h), two channels with the
// mesh's certificates talking in memory: the peer's close_notify that arrives in the
// same flight as its last request is not lost (the request first, then the end, at
// the next read and every one after); a damaged record is an error that stays, and
// leaves OpenSSL's error queue empty for whoever calls it next. And over a loopback
// socket, the Transport a sidecar connection reads through hears of that end: its
// next read completes with eof instead of waiting on the socket for ever. A message
// takes the TLS record bytes the mesh charges a narrowed link for it.
#include "mesh/live/proxy/tls_channel.h"

#include <gtest/gtest.h>
#include <openssl/err.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <memory>
#include <string>
#include <thread>

#include "mesh/core/http_wire_size.h"
#include "mesh/core/rng.h"
#include "mesh/identity/certificate_authority.h"
#include "mesh/live/live_clock.h"
#include "mesh/live/proxy/tls_contexts.h"
#include "mesh/live/proxy/transport.h"

namespace meshproof::live {
namespace {

const std::string kClientId = "spiffe://cluster.local/ns/default/sa/client";
const std::string kServerId = "spiffe://cluster.local/ns/default/sa/server";

struct Side {
  Side(identity::CertificateAuthority& ca, const std::string& spiffe, const LiveClock& clock)
      : verifier({ca.root()}), tls(verifier, clock) {
    const identity::WorkloadKey key = identity::WorkloadKey::generate();
    tls.install(ca.issue(*identity::CertificateRequest::create(key, spiffe), spiffe, systemWallNs(), kHour).certificate,
                key);
  }
  identity::PeerVerifier verifier;
  TlsContexts tls;
};

class TlsChannelTest : public ::testing::Test {
 protected:
  LiveClock clock{monotonicNs()};
  identity::CertificateAuthority ca{"cluster.local", systemWallNs(), Rng(7)};
  Side client_side{ca, kClientId, clock};
  Side server_side{ca, kServerId, clock};
  TlsChannel client{client_side.tls.client(), false,
                    client_side.tls.verifier(std::make_shared<PeerCheck>(), kServerId)};
  TlsChannel server{server_side.tls.server(), true, server_side.tls.verifier(std::make_shared<PeerCheck>(), "")};
  boost::beast::flat_buffer plain;
  std::string control;

  static void carry(std::string& wire, TlsChannel& to) {
    ASSERT_TRUE(to.input(wire.data(), wire.size()));
    wire.clear();
  }
  void handshake() {
    std::string c2s, s2c;
    for (int round = 0; round < 10; ++round) {
      const auto c = client.handshake(c2s);
      carry(c2s, server);
      const auto s = server.handshake(s2c);
      carry(s2c, client);
      ASSERT_NE(c, TlsChannel::Status::kError);
      ASSERT_NE(s, TlsChannel::Status::kError);
      if (c == TlsChannel::Status::kDone && s == TlsChannel::Status::kDone) return;
    }
    FAIL() << "no handshake in 10 rounds";
  }
  std::string plaintext() {
    std::string text(static_cast<const char*>(plain.data().data()), plain.size());
    plain.consume(plain.size());
    return text;
  }
};

TEST_F(TlsChannelTest, ACloseNotifyBehindTheLastRequestIsReportedAfterIt) {
  handshake();
  std::string wire;
  ASSERT_TRUE(client.write("GET / HTTP/1.1\r\nHost: server\r\n\r\n", wire));
  SSL_shutdown(client.native());
  ASSERT_TRUE(client.write("", wire));  // collects the close_notify behind the request
  carry(wire, server);
  EXPECT_EQ(server.read(plain, control), TlsChannel::Status::kDone);
  EXPECT_EQ(plaintext(), "GET / HTTP/1.1\r\nHost: server\r\n\r\n");
  EXPECT_EQ(server.ended(), TlsChannel::Status::kClosed);
  EXPECT_EQ(server.read(plain, control), TlsChannel::Status::kClosed);  // not "want more input"
  EXPECT_EQ(server.read(plain, control), TlsChannel::Status::kClosed);
  EXPECT_EQ(plain.size(), 0u);
}

TEST_F(TlsChannelTest, ADamagedRecordIsAnErrorThatStaysAndLeavesTheQueueEmpty) {
  handshake();
  std::string wire;
  ASSERT_TRUE(client.write("GET / HTTP/1.1\r\nHost: server\r\n\r\n", wire));
  wire[wire.size() - 3] ^= 0x5a;  // in the record's authentication tag
  carry(wire, server);
  EXPECT_EQ(server.read(plain, control), TlsChannel::Status::kError);
  EXPECT_NE(server.lastError(), 0u);
  EXPECT_EQ(ERR_peek_error(), 0u);
  EXPECT_EQ(server.ended(), TlsChannel::Status::kError);
  EXPECT_EQ(server.read(plain, control), TlsChannel::Status::kError);
  EXPECT_EQ(plain.size(), 0u);
}

TEST_F(TlsChannelTest, RequestsAndAnswersGoBothWaysUntilThen) {
  handshake();
  std::string wire;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.write("ping " + std::to_string(i), wire));
    carry(wire, server);
    ASSERT_EQ(server.read(plain, control), TlsChannel::Status::kDone);
    EXPECT_EQ(plaintext(), "ping " + std::to_string(i));
    ASSERT_TRUE(server.write("pong " + std::to_string(i), wire));
    carry(wire, client);
    // The client may first read the server's session tickets: read until the answer.
    std::string answer;
    for (int reads = 0; reads < 3 && answer.empty(); ++reads) {
      client.read(plain, control);
      answer = plaintext();
    }
    EXPECT_EQ(answer, "pong " + std::to_string(i));
    EXPECT_EQ(server.ended(), TlsChannel::Status::kDone);
  }
}

// What the simulator and a narrowed live link charge for a message over mTLS.
TEST_F(TlsChannelTest, AMessageTakesTheTlsRecordBytesTheMeshCharges) {
  handshake();
  for (const std::size_t n : {std::size_t{1}, std::size_t{107}, std::size_t{16384}, std::size_t{16385},
                              std::size_t{40000}}) {
    std::string wire;
    ASSERT_TRUE(client.write(std::string(n, 'x'), wire));
    EXPECT_EQ(wire.size(), tlsRecordBytes(n)) << n << " bytes of plaintext";
    carry(wire, server);
  }
}

TEST_F(TlsChannelTest, TheTransportReportsTheEndThatCameBehindTheLastRequest) {
  using tcp = boost::asio::ip::tcp;
  boost::asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
  const tcp::endpoint at = acceptor.local_endpoint();
  // The client: a blocking socket in a thread of its own, driving its channel by hand
  // so that it can send the request and its close_notify in one write.
  std::thread peer([&] {
    boost::asio::io_context own;
    tcp::socket socket(own);
    socket.connect(at);
    std::string out;
    char chunk[16384];
    while (client.handshake(out) != TlsChannel::Status::kDone) {
      boost::asio::write(socket, boost::asio::buffer(out));
      out.clear();
      const std::size_t n = socket.read_some(boost::asio::buffer(chunk));
      client.input(chunk, n);
    }
    client.write("GET / HTTP/1.1\r\nHost: server\r\n\r\n", out);
    SSL_shutdown(client.native());
    client.write("", out);
    boost::asio::write(socket, boost::asio::buffer(out));
    boost::system::error_code ec;
    while (!ec) socket.read_some(boost::asio::buffer(chunk), ec);  // until the server closes
  });
  tcp::socket socket = acceptor.accept();
  Transport transport(socket);
  transport.startTls(server_side.tls.server(), true, server_side.tls.verifier(std::make_shared<PeerCheck>(), ""));
  boost::beast::flat_buffer in;
  std::string request;
  boost::system::error_code first = boost::asio::error::would_block, second = boost::asio::error::would_block;
  transport.asyncHandshake([&](boost::system::error_code ec) {
    ASSERT_FALSE(ec) << ec.message();
    transport.asyncReadSome(in, 4096, [&](boost::system::error_code ec1) {
      first = ec1;
      request.assign(static_cast<const char*>(in.data().data()), in.size());
      in.consume(in.size());
      transport.asyncReadSome(in, 4096, [&](boost::system::error_code ec2) { second = ec2; });
    });
  });
  io.run_for(std::chrono::seconds(5));
  socket.close();
  peer.join();
  EXPECT_FALSE(first) << first.message();
  EXPECT_EQ(request, "GET / HTTP/1.1\r\nHost: server\r\n\r\n");
  EXPECT_EQ(second, boost::asio::error::eof) << second.message();
}

}  // namespace
}  // namespace meshproof::live
