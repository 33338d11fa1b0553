// DrainedReader (drained_read.h) on a loopback connection, counting its recv calls:
// a read that empties the socket leaves the next one waiting for data without a recv
// that finds nothing; a read that fills its buffer leaves the next one trying at once
// (and getting the rest); the peer's close is eof; closing the socket aborts a
// waiting read.
#include "mesh/live/proxy/drained_read.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <optional>
#include <string>

namespace meshproof::live {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct Connection {
  Connection() : acceptor(io, {asio::ip::address_v4::loopback(), 0}), client(io), server(io), reader(server) {
    client.connect(acceptor.local_endpoint());
    acceptor.accept(server);
  }
  // Runs the loop until `done` or 2 s.
  template <class Done>
  void runUntil(Done done) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (!done() && std::chrono::steady_clock::now() < until) {
      io.run_for(std::chrono::milliseconds(5));
      io.restart();
    }
  }
  void send(const std::string& bytes) { asio::write(client, asio::buffer(bytes)); }

  asio::io_context io;
  tcp::acceptor acceptor;
  tcp::socket client;
  tcp::socket server;
  DrainedReader reader;
};

struct Read {
  char bytes[16] = {};
  std::optional<boost::system::error_code> ec;
  std::size_t n = 0;
  std::string text() const { return std::string(bytes, n); }
};

void start(Connection& c, Read& read) {
  c.reader.asyncRead(asio::buffer(read.bytes), [&read](boost::system::error_code ec, std::size_t n) {
    read.ec = ec;
    read.n = n;
  });
}

TEST(DrainedRead, AReadThatEmptiedTheSocketMakesTheNextOneWaitWithoutARecv) {
  Connection c;
  c.send("abc");
  Read first;
  const std::uint64_t before = drained_read_attempts;
  start(c, first);
  c.runUntil([&] { return first.ec.has_value(); });
  ASSERT_EQ(first.ec, boost::system::error_code());
  EXPECT_EQ(first.text(), "abc");
  const std::uint64_t after_first = drained_read_attempts;

  Read second;
  start(c, second);
  c.io.run_for(std::chrono::milliseconds(20));
  c.io.restart();
  EXPECT_FALSE(second.ec.has_value()) << "nothing was sent";
  EXPECT_EQ(drained_read_attempts, after_first) << "the socket was known to be empty: no recv";

  c.send("de");
  c.runUntil([&] { return second.ec.has_value(); });
  ASSERT_EQ(second.ec, boost::system::error_code());
  EXPECT_EQ(second.text(), "de");
  EXPECT_EQ(drained_read_attempts, after_first + 1) << "one recv, when the data came";
  EXPECT_LE(after_first - before, 2u);  // at once, or once after the reactor saw the data
}

TEST(DrainedRead, AReadThatFilledItsBufferLeavesTheNextOneTryingAtOnce) {
  Connection c;
  c.send(std::string(16, 'x') + "rest");
  Read first;
  start(c, first);
  c.runUntil([&] { return first.ec.has_value(); });
  ASSERT_EQ(first.n, 16u);
  const std::uint64_t after_first = drained_read_attempts;
  Read second;
  start(c, second);
  c.runUntil([&] { return second.ec.has_value(); });
  EXPECT_EQ(second.text(), "rest");
  EXPECT_EQ(drained_read_attempts, after_first + 1);
}

TEST(DrainedRead, ThePeersCloseIsEofAndClosingTheSocketAbortsAWaitingRead) {
  Connection c;
  Read waiting;
  start(c, waiting);
  c.io.run_for(std::chrono::milliseconds(10));
  c.io.restart();
  EXPECT_FALSE(waiting.ec.has_value());
  c.client.close();
  c.runUntil([&] { return waiting.ec.has_value(); });
  EXPECT_EQ(waiting.ec, asio::error::eof);

  Connection d;
  Read aborted;
  start(d, aborted);
  d.io.run_for(std::chrono::milliseconds(10));
  d.io.restart();
  d.server.close();
  d.runUntil([&] { return aborted.ec.has_value(); });
  EXPECT_EQ(aborted.ec, asio::error::operation_aborted);
}

}  // namespace
}  // namespace meshproof::live
