// Sidecar resilience, with Envoy's semantics as known answers: retries onto other
// hosts and URX, per-try and route timeouts (UT), the circuit breaker of Istio's
// circuit-breaking task (UO), retry overflow (UO), outlier ejection and return,
// connect failures (UF), resets (UC), an mTLS rejection seen by the caller, and
// requests the sidecar abandons (LR).
#include <set>

#include "sidecar_harness.h"

namespace meshproof::dataplane {
namespace {

using testing::SidecarHarness;
using H = SidecarHarness;

config::VirtualService paymentsRoute(std::optional<config::RetryPolicy> retries, DurationNs timeout = 0,
                                     std::string subset = "") {
  config::VirtualService vs;
  vs.service = "payments";
  config::HttpRoute r;
  r.name = "payments.0";
  r.route = {{std::move(subset), 100}};
  r.retries = std::move(retries);
  r.timeout = timeout;
  vs.http.push_back(r);
  return vs;
}

config::RetryPolicy retryOn5xx(int attempts, DurationNs per_try) {
  config::RetryPolicy p;
  p.attempts = attempts;
  p.per_try_timeout = per_try;
  p.retry_on.on_5xx = true;
  return p;
}

// Sends the pending attempt's connection up and returns the SendUpstream.
SendUpstream sendOne(SidecarHarness& h) {
  auto sends = H::only<SendUpstream>(h.connectAll(h.drain()));
  EXPECT_EQ(sends.size(), 1u);
  return sends.at(0);
}

TEST(SidecarRetries, IstioDefaultRetries503OnOtherHostsThenURX) {
  SidecarHarness h;
  h.client();
  h.send(1);
  std::set<std::string> hosts;
  SendUpstream s = sendOne(h);
  hosts.insert(s.endpoint.instance);
  h.sidecar->upstreamResponse(s.attempt, 503);
  for (int retry = 1; retry <= 2; ++retry) {
    auto actions = h.drain();
    EXPECT_TRUE(H::only<RespondToApp>(actions).empty());
    // Envoy's jittered backoff: the Nth retry waits less than (2^N - 1) x 25ms.
    const TimeNs wait = h.sidecar->nextDeadline() - h.clock.now();
    EXPECT_GE(wait, 0);
    EXPECT_LT(wait, ((1 << retry) - 1) * 25 * kMillisecond);
    h.runUntil(h.sidecar->nextDeadline());
    s = sendOne(h);
    hosts.insert(s.endpoint.instance);
    h.sidecar->upstreamResponse(s.attempt, 503);
  }
  const auto answer = H::only<RespondToApp>(h.drain()).at(0);
  EXPECT_EQ(answer.status, 503);
  EXPECT_EQ(answer.flags, kUpstreamRetryLimitExceeded);
  EXPECT_EQ(hosts.size(), 3u);  // previous_hosts predicate: three tries, three hosts
  EXPECT_EQ(h.sink.all<RequestEvent>().at(0).attempts, 3);
}

TEST(SidecarRetries, ZeroAttemptsDisablesRetriesWithoutURX) {
  SidecarHarness h;
  config::RetryPolicy none = config::defaultRetryPolicy();
  none.attempts = 0;
  h.config.traffic.push_back(paymentsRoute(none));
  h.client();
  h.send(1);
  h.sidecar->upstreamResponse(sendOne(h).attempt, 503);
  const auto answer = H::only<RespondToApp>(h.drain()).at(0);
  EXPECT_EQ(answer.status, 503);
  EXPECT_EQ(answer.flags, kNoFlags);
}

TEST(SidecarRetries, IstioDefaultDoesNotRetry500) {
  SidecarHarness h;
  h.client();
  h.send(1);
  h.sidecar->upstreamResponse(sendOne(h).attempt, 500);
  const auto answer = H::only<RespondToApp>(h.drain()).at(0);
  EXPECT_EQ(answer.status, 500);
  EXPECT_EQ(answer.flags, kNoFlags);
}

TEST(SidecarRetries, PerTryTimeoutClosesTheConnectionRetriesThen504UTURX) {
  SidecarHarness h;
  h.config.traffic.push_back(paymentsRoute(retryOn5xx(1, 500 * kMillisecond)));
  h.client();
  h.send(1);
  const SendUpstream first = sendOne(h);
  h.runUntil(500 * kMillisecond);
  auto actions = h.drain();
  const auto closes = H::only<CloseUpstreamConnection>(actions);
  ASSERT_EQ(closes.size(), 1u);
  EXPECT_EQ(closes[0].connection, first.connection);  // HTTP/1.1 cannot abandon a request otherwise
  EXPECT_TRUE(H::only<RespondToApp>(actions).empty());
  h.runUntil(h.sidecar->nextDeadline());  // backoff
  const SendUpstream second = sendOne(h);
  EXPECT_NE(second.endpoint.instance, first.endpoint.instance);
  const TimeNs sent = h.clock.now();
  h.runUntil(sent + 500 * kMillisecond);
  const auto answer = H::only<RespondToApp>(h.drain()).at(0);
  EXPECT_EQ(answer.status, 504);
  EXPECT_EQ(answer.flags, kUpstreamRequestTimeout | kUpstreamRetryLimitExceeded);
  // A late answer to the abandoned attempt is ignored.
  h.sidecar->upstreamResponse(first.attempt, 200);
  EXPECT_TRUE(h.drain().empty());
}

TEST(SidecarRetries, RouteTimeoutAnswers504UTAtExactlyTheTimeout) {
  SidecarHarness h;
  h.config.traffic.push_back(paymentsRoute(retryOn5xx(3, 0), 2 * kSecond));
  h.client();
  h.send(1);
  const SendUpstream s = sendOne(h);
  h.runUntil(1999 * kMillisecond);
  EXPECT_TRUE(H::only<RespondToApp>(h.drain()).empty());
  h.runUntil(2 * kSecond);
  const auto answer = H::only<RespondToApp>(h.drain()).at(0);
  EXPECT_EQ(answer.status, 504);
  EXPECT_EQ(answer.flags, kUpstreamRequestTimeout);
  EXPECT_EQ(h.sink.all<RequestEvent>().at(0).duration, 2 * kSecond);
  h.sidecar->upstreamResponse(s.attempt, 200);
  EXPECT_TRUE(H::only<RespondToApp>(h.drain()).empty());
  EXPECT_EQ(h.sidecar->outboundInFlight(), 0u);
}

TEST(SidecarRetries, RouteTimeoutBoundsRetriesToo) {
  SidecarHarness h;
  // Each try times out after 400ms; the route allows 1s in all: two tries and part of a third.
  h.config.traffic.push_back(paymentsRoute(retryOn5xx(10, 400 * kMillisecond), 1 * kSecond));
  h.client();
  h.send(1);
  // Accept every connection at once and step from deadline to deadline: tries at
  // 0 and ~400 ms time out, the third starts before 900 ms and the route ends it at 1 s.
  std::vector<RespondToApp> answers;
  while (answers.empty()) {
    for (const auto& a : H::only<RespondToApp>(h.connectAll(h.drain()))) answers.push_back(a);
    if (answers.empty()) h.runUntil(h.sidecar->nextDeadline());
  }
  const auto events = h.sink.all<RequestEvent>();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].status, 504);
  EXPECT_EQ(events[0].flags, kUpstreamRequestTimeout);
  EXPECT_EQ(events[0].duration, 1 * kSecond);
  EXPECT_EQ(events[0].attempts, 3);
}

TEST(SidecarRetries, ConnectFailuresAreRetriedThen503UFURX) {
  SidecarHarness h;
  h.client();
  h.send(1);
  for (int attempt = 0; attempt < 3; ++attempt) {
    const auto opens = H::only<OpenUpstreamConnection>(h.drain());
    ASSERT_EQ(opens.size(), 1u);
    h.sidecar->upstreamConnectFailed(opens[0].connection);
    if (attempt < 2) h.runUntil(h.sidecar->nextDeadline());
  }
  const auto answer = H::only<RespondToApp>(h.drain()).at(0);
  EXPECT_EQ(answer.status, 503);
  EXPECT_EQ(answer.flags, kUpstreamConnectionFailure | kUpstreamRetryLimitExceeded);
}

TEST(SidecarRetries, AResetIsNotRetriedByIstioDefaultAndIs503UC) {
  SidecarHarness h;
  h.client();
  h.send(1);
  const SendUpstream s = sendOne(h);
  h.sidecar->upstreamConnectionClosed(s.connection);
  const auto answer = H::only<RespondToApp>(h.drain()).at(0);
  EXPECT_EQ(answer.status, 503);
  EXPECT_EQ(answer.flags, kUpstreamConnectionTermination);
}

TEST(SidecarRetries, MtlsRejectionIsAConnectFailureToTheCaller) {
  SidecarHarness h;
  h.client();
  h.send(1);
  for (int attempt = 0; attempt < 3; ++attempt) {
    h.sidecar->upstreamResponse(sendOne(h).attempt, 503, kMtlsRejected);
    if (attempt < 2) h.runUntil(h.sidecar->nextDeadline());
  }
  const auto answer = H::only<RespondToApp>(h.drain()).at(0);
  EXPECT_EQ(answer.status, 503);
  EXPECT_EQ(answer.flags, kMtlsRejected | kUpstreamConnectionFailure | kUpstreamRetryLimitExceeded);
}

TEST(SidecarRetries, MaxRetriesOverflowIsUO) {
  SidecarHarness h;
  config::DestinationRule rule;
  rule.service = "payments";
  rule.connection_pool.http.max_retries = 1;
  h.config.destinations.push_back(rule);
  h.config.traffic.push_back(paymentsRoute(retryOn5xx(3, 0)));
  h.client();
  h.send(1);
  h.send(2);
  const auto sends = H::only<SendUpstream>(h.connectAll(h.drain()));
  ASSERT_EQ(sends.size(), 2u);
  h.sidecar->upstreamResponse(sends[0].attempt, 503);  // takes the only retry slot
  h.sidecar->upstreamResponse(sends[1].attempt, 503);  // no slot left
  const auto answers = H::only<RespondToApp>(h.drain());
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].request, 2u);
  EXPECT_EQ(answers[0].status, 503);
  EXPECT_EQ(answers[0].flags, kUpstreamOverflow);
  const auto breakers = h.sink.all<BreakerEvent>();
  ASSERT_FALSE(breakers.empty());
  EXPECT_EQ(breakers[0].threshold, "maxRetries");
}

TEST(SidecarCircuitBreaker, IstioTaskOneConnectionOnePendingThirdIsUO) {
  SidecarHarness h;
  config::DestinationRule rule;
  rule.service = "payments";
  rule.connection_pool.tcp.max_connections = 1;
  rule.connection_pool.http.http1_max_pending_requests = 1;
  h.config.destinations.push_back(rule);
  h.config.traffic.push_back(paymentsRoute(std::nullopt, 0, "v2"));  // one host
  h.client();
  // Warm the single connection.
  h.send(1);
  h.sidecar->upstreamResponse(sendOne(h).attempt, 200);
  h.drain();
  // Three concurrent requests: one on the connection, one pending, one overflows.
  h.send(2);
  h.send(3);
  h.send(4);
  auto actions = h.drain();
  const auto sends = H::only<SendUpstream>(actions);
  ASSERT_EQ(sends.size(), 1u);
  EXPECT_TRUE(H::only<OpenUpstreamConnection>(actions).empty());
  const auto answers = H::only<RespondToApp>(actions);
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].request, 4u);
  EXPECT_EQ(answers[0].status, 503);
  EXPECT_EQ(answers[0].flags, kUpstreamOverflow);
  // The pending one goes out on the same connection when the first completes.
  h.sidecar->upstreamResponse(sends[0].attempt, 200);
  const auto next = H::only<SendUpstream>(h.drain());
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].connection, sends[0].connection);
  bool pending_opened = false;
  for (const auto& b : h.sink.all<BreakerEvent>())
    pending_opened |= b.open && b.threshold == "http1MaxPendingRequests";
  EXPECT_TRUE(pending_opened);
}

TEST(SidecarOutlierDetection, BadHostEjectedAfterConsecutive5xxAndReturnsAfterBaseEjectionTime) {
  SidecarHarness h;
  config::DestinationRule rule;
  rule.service = "payments";
  rule.load_balancer = config::LbPolicy::kRoundRobin;
  rule.outlier_detection = config::OutlierDetection{};
  rule.outlier_detection->consecutive_5xx_errors = 2;
  rule.outlier_detection->interval = 10 * kSecond;
  rule.outlier_detection->base_ejection_time = 30 * kSecond;
  rule.outlier_detection->max_ejection_percent = 100;
  h.config.destinations.push_back(rule);
  config::RetryPolicy none;
  none.attempts = 0;
  h.config.traffic.push_back(paymentsRoute(none, 0, "v1"));  // payments-v1-0 and payments-v1-1
  h.client();
  auto serve = [&](AppRequestId id) {
    h.send(id);
    const SendUpstream s = sendOne(h);
    h.sidecar->upstreamResponse(s.attempt, s.endpoint.instance == "payments-v1-0" ? 503 : 200);
    h.drain();
    return s.endpoint.instance;
  };
  AppRequestId id = 1;
  for (int i = 0; i < 4; ++i) serve(id++);  // round robin: v1-0 answered 503 twice
  const auto ejections = h.sink.all<EjectionEvent>();
  ASSERT_EQ(ejections.size(), 1u);
  EXPECT_EQ(ejections[0].instance, "payments-v1-0");
  EXPECT_TRUE(ejections[0].ejected);
  EXPECT_EQ(ejections[0].duration, 30 * kSecond);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(serve(id++), "payments-v1-1");
  // Ejected at t=0; sweeps at 10, 20, 30 s; back at the 30 s sweep (0 + 30 s has passed).
  h.runUntil(30 * kSecond);
  const auto after = h.sink.all<EjectionEvent>();
  ASSERT_EQ(after.size(), 2u);
  EXPECT_FALSE(after[1].ejected);
  std::set<std::string> seen;
  for (int i = 0; i < 4; ++i) seen.insert(serve(id++));
  EXPECT_TRUE(seen.count("payments-v1-0"));
}

TEST(SidecarOutlierDetection, EveryHostEjectedIs503UH) {
  SidecarHarness h;
  config::DestinationRule rule;
  rule.service = "payments";
  rule.outlier_detection = config::OutlierDetection{};
  rule.outlier_detection->consecutive_5xx_errors = 1;
  rule.outlier_detection->max_ejection_percent = 100;
  h.config.destinations.push_back(rule);
  config::RetryPolicy none;
  none.attempts = 0;
  h.config.traffic.push_back(paymentsRoute(none, 0, "v2"));
  h.client();
  h.send(1);
  h.sidecar->upstreamResponse(sendOne(h).attempt, 503);
  h.drain();
  h.send(2);
  const auto answer = H::only<RespondToApp>(h.drain()).at(0);
  EXPECT_EQ(answer.status, 503);
  EXPECT_EQ(answer.flags, kNoHealthyUpstream);
}

// A live sidecar whose drain runs out of time gives up on what is still under way.
TEST(SidecarAbandon, AnAbandonedCallIsAnsweredLoggedAndItsConnectionClosed) {
  SidecarHarness h;
  h.client();
  h.send(1);
  const SendUpstream sent = sendOne(h);
  h.clock.advance(3 * kSecond);
  h.sidecar->abandonAppRequest(1, 503, kLocalReset);
  const auto actions = h.drain();
  const auto closes = H::only<CloseUpstreamConnection>(actions);
  ASSERT_EQ(closes.size(), 1u);
  EXPECT_EQ(closes[0].connection, sent.connection);
  const auto answer = H::only<RespondToApp>(actions).at(0);
  EXPECT_EQ(answer.request, 1u);
  EXPECT_EQ(answer.status, 503);
  EXPECT_EQ(answer.flags, kLocalReset);
  const auto ev = h.sink.all<RequestEvent>().at(0);
  EXPECT_EQ(ev.status, 503);
  EXPECT_EQ(ev.flags, kLocalReset);
  EXPECT_EQ(ev.duration, 3 * kSecond);
  EXPECT_EQ(h.sidecar->outboundInFlight(), 0u);
  h.sidecar->upstreamResponse(sent.attempt, 200);  // too late: ignored
  h.sidecar->abandonAppRequest(1, 503, kLocalReset);  // finished already: ignored
  EXPECT_TRUE(h.drain().empty());
  EXPECT_EQ(h.sink.all<RequestEvent>().size(), 1u);
}

TEST(SidecarAbandon, APeersRequestTheAppNeverAnsweredIsAnsweredWithTheFlagsGiven) {
  SidecarHarness h;
  h.config.mesh.mtls = config::MtlsMode::kPermissive;
  h.client("payments-v1-0", "payments");
  HttpRequest r;
  r.authority = "payments";
  h.sidecar->peerRequest(4, r, security::PeerConnection{security::PeerTransport::kPlaintext, {}});
  ASSERT_EQ(H::only<DeliverToApp>(h.drain()).size(), 1u);
  h.sidecar->appResponded(4, 503, kLocalReset);
  const auto reply = H::only<RespondToPeer>(h.drain()).at(0);
  EXPECT_EQ(reply.status, 503);
  EXPECT_EQ(reply.flags, kLocalReset);
  const auto ev = h.sink.all<RequestEvent>().at(0);
  EXPECT_EQ(ev.reporter, "destination");
  EXPECT_EQ(ev.flags, kLocalReset);
}

}  // namespace
}  // namespace meshproof::dataplane
