// The app process on real loopback sockets, loaded from a run directory as
// `meshproof app` loads it and served on its own thread: service time, error rate,
// the concurrency queue, pipelining and keep-alive, downstream calls through a fake
// sidecar, and bad requests. Latencies are measured with the steady clock and
// checked within tolerances that a loaded 2-core machine keeps.
#include "mesh/live/app/app_process.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>

#include "app_test_support.h"

namespace meshproof::live::testing {
namespace {

constexpr const char* kTraceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
// Scheduling noise allowed on top of a modelled time.
constexpr double kSlackMs = 15;

struct Timed {
  Reply reply;
  double sent_ms = 0;      // since the test's start
  double answered_ms = 0;  // since the test's start
};

TEST(AppProcess, FixedServiceTimeIsTheLatency) {
  RunningApp app("{serviceTime: {fixed: 20ms}}");
  Client c(app.appPort());
  ASSERT_TRUE(c.connected());
  for (int i = 0; i < 5; ++i) {
    const auto start = Clock::now();
    Reply r = c.request("GET", "/");
    const double ms = millisSince(start);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "OK\n");
    EXPECT_EQ(r.header("x-app-instance"), "api-v1-0");
    EXPECT_TRUE(r.keep_alive);
    EXPECT_GE(ms, 20.0);
    EXPECT_LE(ms, 20.0 + kSlackMs);
  }
}

TEST(AppProcess, ZeroServiceTimeAnswersAtOnce) {
  RunningApp app("{serviceTime: {fixed: 0ms}}");
  Client c(app.appPort());
  const auto start = Clock::now();
  for (int i = 0; i < 50; ++i) ASSERT_EQ(c.request("GET", "/").status, 200);
  EXPECT_LT(millisSince(start), 500.0);
}

TEST(AppProcess, ErrorRate100AnswersEveryRequest500) {
  RunningApp app("{serviceTime: {fixed: 1ms}, errorRate: 100}");
  Client c(app.appPort());
  for (int i = 0; i < 10; ++i) {
    Reply r = c.request("GET", "/");
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body, "Internal Server Error\n");
  }
}

TEST(AppProcess, ErrorRate0NeverFails) {
  RunningApp app("{serviceTime: {fixed: 0ms}, errorRate: 0}");
  Client c(app.appPort());
  for (int i = 0; i < 20; ++i) EXPECT_EQ(c.request("GET", "/").status, 200);
}

// Two requests on two connections sent together to one worker slot: the second
// waits for the first, so it is answered one service time later.
TEST(AppProcess, Concurrency1QueuesTheSecondRequest) {
  RunningApp app("{serviceTime: {fixed: 20ms}, concurrency: 1}");
  Client first(app.appPort());
  Client second(app.appPort());
  ASSERT_TRUE(first.connected() && second.connected());
  const auto start = Clock::now();
  first.send("GET", "/");
  second.send("GET", "/");
  auto a = std::async(std::launch::async, [&] {
    Reply r = first.receive();
    return Timed{r, 0, millisSince(start)};
  });
  auto b = std::async(std::launch::async, [&] {
    Reply r = second.receive();
    return Timed{r, 0, millisSince(start)};
  });
  const Timed ta = a.get();
  const Timed tb = b.get();
  EXPECT_EQ(ta.reply.status, 200);
  EXPECT_EQ(tb.reply.status, 200);
  const double early = std::min(ta.answered_ms, tb.answered_ms);
  const double late = std::max(ta.answered_ms, tb.answered_ms);
  EXPECT_GE(early, 20.0);
  EXPECT_LE(early, 20.0 + kSlackMs);
  EXPECT_GE(late, 40.0);
  EXPECT_LE(late, 40.0 + kSlackMs);
}

// Without a concurrency limit the same requests are served side by side.
TEST(AppProcess, UnlimitedConcurrencyServesRequestsTogether) {
  RunningApp app("{serviceTime: {fixed: 50ms}}");
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 8; ++i) clients.push_back(std::make_unique<Client>(app.appPort()));
  const auto start = Clock::now();
  for (auto& c : clients) c->send("GET", "/");
  for (auto& c : clients) EXPECT_EQ(c->receive().status, 200);
  const double all_ms = millisSince(start);
  EXPECT_GE(all_ms, 50.0);
  EXPECT_LE(all_ms, 50.0 + 2 * kSlackMs);  // not 8 x 50 ms
}

// Pipelined requests on one connection are served concurrently but answered in
// request order, even when a later one finishes first.
TEST(AppProcess, PipelinedRequestsAreAnsweredInOrder) {
  RunningApp app("{serviceTime: {fixed: 30ms}}");
  Client c(app.appPort());
  const auto start = Clock::now();
  for (int i = 0; i < 3; ++i) c.send("GET", "/item/" + std::to_string(i));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(c.receive().status, 200);
  const double ms = millisSince(start);
  EXPECT_GE(ms, 30.0);
  EXPECT_LE(ms, 30.0 + kSlackMs);                // served together, not 90 ms
  EXPECT_EQ(c.request("GET", "/").status, 200);  // and the connection is still open
}

TEST(AppProcess, ConnectionCloseIsHonoured) {
  RunningApp app("{serviceTime: {fixed: 1ms}}");
  Client c(app.appPort());
  c.send("GET", "/", {}, {}, /*keep_alive=*/false);
  Reply r = c.receive();
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.keep_alive);
  EXPECT_TRUE(c.closedByPeer());
}

TEST(AppProcess, MalformedRequestGets400AndTheAppKeepsServing) {
  RunningApp app("{serviceTime: {fixed: 1ms}}");
  Client bad(app.appPort());
  bad.sendRaw("NOT HTTP AT ALL\r\n\r\n");
  EXPECT_EQ(bad.receive().status, 400);
  EXPECT_TRUE(bad.closedByPeer());
  EXPECT_EQ(get(app.appPort(), "/").status, 200);
}

TEST(AppProcess, RequestBodyOverTheLimitGets413) {
  RunningApp app("{serviceTime: {fixed: 1ms}}");
  Client c(app.appPort());
  c.sendRaw("POST / HTTP/1.1\r\nHost: api\r\nContent-Length: 100000000\r\n\r\n");
  EXPECT_EQ(c.receive().status, 413);
}

TEST(AppProcess, ManyRequestsOnManyConnectionsAreAllAnswered) {
  RunningApp app("{serviceTime: {mean: 2ms}, concurrency: 4}");
  constexpr int kConnections = 6;
  constexpr int kPerConnection = 40;
  std::vector<std::future<int>> answered;
  for (int i = 0; i < kConnections; ++i)
    answered.push_back(std::async(std::launch::async, [&] {
      Client c(app.appPort());
      int ok = 0;
      for (int k = 0; k < kPerConnection; k += 4) {  // four pipelined at a time
        for (int p = 0; p < 4; ++p) c.send("GET", "/");
        for (int p = 0; p < 4; ++p) ok += c.receive().status == 200;
      }
      return ok;
    }));
  for (auto& f : answered) EXPECT_EQ(f.get(), kPerConnection);
}

// ---- downstream calls ------------------------------------------------------------

TEST(AppProcessCalls, CallReachesTheSidecarWithHostAndTraceparent) {
  RunningApp app("{serviceTime: {fixed: 1ms}, calls: [{service: payments, path: /pay, method: POST}]}");
  FakeSidecar sidecar(app.outboundPort());
  Client c(app.appPort());
  Reply r = c.request("GET", "/checkout", {}, {{"traceparent", kTraceparent}});
  EXPECT_EQ(r.status, 200);
  const auto seen = sidecar.recorded();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].target, "/pay");
  EXPECT_EQ(seen[0].host, "payments");
  EXPECT_EQ(seen[0].traceparent, kTraceparent);
}

TEST(AppProcessCalls, CallsGoOneAfterTheOtherOnAKeptAliveConnection) {
  RunningApp app(
      "{serviceTime: {fixed: 1ms}, calls: [{service: payments, path: /first}, {service: payments, path: /second}]}");
  FakeSidecar sidecar(app.outboundPort());
  Client c(app.appPort());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(c.request("GET", "/").status, 200);
  const auto seen = sidecar.recorded();
  ASSERT_EQ(seen.size(), 6u);
  for (std::size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].target, i % 2 == 0 ? "/first" : "/second");
    EXPECT_EQ(seen[i].method, "GET");
    EXPECT_EQ(seen[i].connection, 1u) << "call " << i << " did not reuse the pooled connection";
    EXPECT_EQ(seen[i].traceparent, "");  // none came in, none goes out
  }
}

TEST(AppProcessCalls, FailedCallFailsTheRequestWith500) {
  RunningApp app("{serviceTime: {fixed: 1ms}, calls: [{service: payments, path: /pay}]}");
  FakeSidecar sidecar(app.outboundPort());
  sidecar.setStatus(503);
  Client c(app.appPort());
  EXPECT_EQ(c.request("GET", "/").status, 500);
  sidecar.setStatus(200);
  EXPECT_EQ(c.request("GET", "/").status, 200);
  EXPECT_EQ(sidecar.recorded().size(), 2u);
}

TEST(AppProcessCalls, FailedOptionalCallDoesNotFailTheRequest) {
  RunningApp app("{serviceTime: {fixed: 1ms}, calls: [{service: payments, path: /pay, optional: true}]}");
  FakeSidecar sidecar(app.outboundPort());
  sidecar.setStatus(503);
  EXPECT_EQ(get(app.appPort(), "/").status, 200);
  EXPECT_EQ(sidecar.recorded().size(), 1u);
}

TEST(AppProcessCalls, SidecarNotListeningFailsTheCall) {
  RunningApp app("{serviceTime: {fixed: 1ms}, calls: [{service: payments, path: /pay}]}");
  // Nothing listens on the outbound port: the connection is refused, the call
  // answered 0, the request 500. A socket bound there without listening keeps the
  // port from another test process meanwhile (the kernel still refuses connects).
  {
    const int holder = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(holder, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(app.outboundPort());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(holder, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0)
        << "port " << app.outboundPort() << " is taken by another process";
    Client c(app.appPort());
    EXPECT_EQ(c.request("GET", "/").status, 500);
    ::close(holder);
  }
  // Once the sidecar is there, calls go through.
  Client c(app.appPort());
  FakeSidecar sidecar(app.outboundPort());
  EXPECT_EQ(c.request("GET", "/").status, 200);
}

TEST(AppProcessCalls, SidecarRestartIsSurvived) {
  RunningApp app("{serviceTime: {fixed: 1ms}, calls: [{service: payments, path: /pay}]}");
  Client c(app.appPort());
  {
    FakeSidecar sidecar(app.outboundPort());
    EXPECT_EQ(c.request("GET", "/").status, 200);
  }
  // The pooled connection was closed with the sidecar; a new one is opened.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  FakeSidecar restarted(app.outboundPort());
  EXPECT_EQ(c.request("GET", "/").status, 200);
  EXPECT_EQ(restarted.recorded().size(), 1u);
}

}  // namespace
}  // namespace meshproof::live::testing
