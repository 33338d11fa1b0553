// Sidecar outbound path: connection set-up and reuse, trace propagation, routing
// (404 NR, subsets, 503 UH), fault injection (DI, FI) and mirroring, with exact
// action sequences on a manual clock.
#include "sidecar_harness.h"

namespace meshproof::dataplane {
namespace {

using testing::SidecarHarness;
using H = SidecarHarness;

TEST(SidecarOutbound, FirstRequestOpensAConnectionThenSendsAndAnswers) {
  SidecarHarness h;
  h.client();
  h.send(1);
  auto actions = h.drain();
  ASSERT_EQ(actions.size(), 1u);
  const auto opens = H::only<OpenUpstreamConnection>(actions);
  ASSERT_EQ(opens.size(), 1u);
  EXPECT_TRUE(opens[0].mtls);  // STRICT mesh: auto-mTLS
  h.clock.advance(1 * kMillisecond);
  actions = h.connectAll(actions);
  const auto sends = H::only<SendUpstream>(actions);
  ASSERT_EQ(sends.size(), 1u);
  EXPECT_EQ(sends[0].connection, opens[0].connection);
  const std::string* tp = sends[0].request.headers.find("traceparent");
  ASSERT_NE(tp, nullptr);
  EXPECT_EQ(tp->size(), 55u);

  h.clock.advance(20 * kMillisecond);
  h.sidecar->upstreamResponse(sends[0].attempt, 200);
  actions = h.drain();
  const auto answers = H::only<RespondToApp>(actions);
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].request, 1u);
  EXPECT_EQ(answers[0].status, 200);
  EXPECT_EQ(answers[0].flags, kNoFlags);

  const auto events = h.sink.all<RequestEvent>();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].reporter, "source");
  EXPECT_EQ(events[0].source, "checkout-v1-0");
  EXPECT_EQ(events[0].destination_service, "payments");
  EXPECT_EQ(events[0].destination_instance, sends[0].endpoint.instance);
  EXPECT_EQ(events[0].status, 200);
  EXPECT_EQ(events[0].attempts, 1);
  EXPECT_EQ(events[0].duration, 21 * kMillisecond);
  EXPECT_TRUE(events[0].mtls);
  EXPECT_EQ(events[0].trace_id, tp->substr(3, 32));
  EXPECT_EQ(h.sidecar->outboundInFlight(), 0u);
}

TEST(SidecarOutbound, KeepAliveReusesTheConnection) {
  SidecarHarness h;
  h.config.destinations.push_back({});
  h.config.destinations.back().service = "payments";
  h.config.destinations.back().load_balancer = config::LbPolicy::kRoundRobin;
  h.client();
  // Three sequential requests over three hosts open three connections; the fourth
  // returns to the first host and reuses its idle connection.
  int opened = 0;
  for (AppRequestId id = 1; id <= 4; ++id) {
    h.send(id);
    auto actions = h.drain();
    opened += static_cast<int>(H::only<OpenUpstreamConnection>(actions).size());
    actions = h.connectAll(actions);
    const auto sends = H::only<SendUpstream>(actions);
    ASSERT_EQ(sends.size(), 1u);
    h.sidecar->upstreamResponse(sends[0].attempt, 200);
    h.drain();
  }
  EXPECT_EQ(opened, 3);
}

TEST(SidecarOutbound, IncomingTraceparentKeepsTheTraceId) {
  SidecarHarness h;
  h.client();
  const std::string parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  h.send(1, "/pay", "POST", "payments", Headers{{"traceparent", parent}});
  const auto sends = H::only<SendUpstream>(h.connectAll(h.drain()));
  ASSERT_EQ(sends.size(), 1u);
  const std::string& tp = *sends[0].request.headers.find("traceparent");
  EXPECT_EQ(tp.substr(0, 36), parent.substr(0, 36));  // version and trace id
  EXPECT_NE(tp.substr(36, 16), parent.substr(36, 16));  // a new span id for this hop
}

TEST(SidecarOutbound, UnknownServiceAndUnmatchedRouteAre404NR) {
  SidecarHarness h;
  config::VirtualService vs;
  vs.service = "payments";
  config::HttpRoute only_api;
  only_api.name = "api";
  config::HttpMatch m;
  m.uri = config::StringMatch{config::StringMatch::Kind::kPrefix, "/api", std::nullopt};
  only_api.match.push_back(m);
  only_api.route = {{"", 100}};
  vs.http.push_back(only_api);
  h.config.traffic.push_back(vs);
  h.client();
  h.send(1, "/other");
  h.send(2, "/", "GET", "no-such-service");
  const auto answers = H::only<RespondToApp>(h.drain());
  ASSERT_EQ(answers.size(), 2u);
  for (const auto& a : answers) {
    EXPECT_EQ(a.status, 404);
    EXPECT_EQ(a.flags, kNoRouteFound);
  }
}

config::VirtualService routeToSubset(std::string subset) {
  config::VirtualService vs;
  vs.service = "payments";
  config::HttpRoute r;
  r.name = "to-" + subset;
  r.route = {{std::move(subset), 100}};
  vs.http.push_back(r);
  return vs;
}

TEST(SidecarOutbound, SubsetRoutingOnlyReachesThatVersion) {
  SidecarHarness h;
  h.config.traffic.push_back(routeToSubset("v2"));
  h.client();
  for (AppRequestId id = 1; id <= 5; ++id) {
    h.send(id);
    const auto sends = H::only<SendUpstream>(h.connectAll(h.drain()));
    ASSERT_EQ(sends.size(), 1u);
    EXPECT_EQ(sends[0].endpoint.instance, "payments-v2-0");
    h.sidecar->upstreamResponse(sends[0].attempt, 200);
    h.drain();
  }
}

TEST(SidecarOutbound, SubsetWithoutHostsIs503UH) {
  SidecarHarness h;
  h.config.traffic.push_back(routeToSubset("v9"));
  h.client();
  h.send(1);
  const auto actions = h.drain();
  ASSERT_EQ(actions.size(), 1u);
  const auto answers = H::only<RespondToApp>(actions);
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].status, 503);
  EXPECT_EQ(answers[0].flags, kNoHealthyUpstream);
  EXPECT_EQ(h.sink.all<RequestEvent>().at(0).attempts, 0);
}

TEST(SidecarOutbound, AbortFaultAnswersLocallyWithFI) {
  SidecarHarness h;
  auto vs = routeToSubset("v1");
  vs.http[0].fault = config::FaultPolicy{std::nullopt, config::FaultAbort{503, 100}};
  h.config.traffic.push_back(vs);
  h.client();
  h.send(1);
  const auto actions = h.drain();
  ASSERT_EQ(actions.size(), 1u);  // nothing goes upstream
  const auto answer = H::only<RespondToApp>(actions).at(0);
  EXPECT_EQ(answer.status, 503);
  EXPECT_EQ(answer.flags, kFaultInjected);
}

TEST(SidecarOutbound, DelayFaultHoldsTheRequestThenSendsIt) {
  SidecarHarness h;
  auto vs = routeToSubset("v1");
  vs.http[0].fault = config::FaultPolicy{config::FaultDelay{1 * kSecond, 100}, std::nullopt};
  h.config.traffic.push_back(vs);
  h.client();
  h.send(1);
  EXPECT_TRUE(h.drain().empty());
  EXPECT_EQ(h.sidecar->nextDeadline(), 1 * kSecond);
  h.runUntil(999 * kMillisecond);
  EXPECT_TRUE(h.drain().empty());
  h.runUntil(1 * kSecond);
  const auto sends = H::only<SendUpstream>(h.connectAll(h.drain()));
  ASSERT_EQ(sends.size(), 1u);
  h.clock.advance(10 * kMillisecond);
  h.sidecar->upstreamResponse(sends[0].attempt, 200);
  const auto answer = H::only<RespondToApp>(h.drain()).at(0);
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.flags, kDelayInjected);
  EXPECT_EQ(h.sink.all<RequestEvent>().at(0).duration, 1010 * kMillisecond);
}

TEST(SidecarOutbound, MirrorSendsAShadowWhoseAnswerIsDiscarded) {
  SidecarHarness h;
  auto vs = routeToSubset("v1");
  vs.http[0].mirror = config::Mirror{"v2", 100};
  h.config.traffic.push_back(vs);
  h.client();
  h.send(1);
  const auto sends = H::only<SendUpstream>(h.connectAll(h.drain()));
  ASSERT_EQ(sends.size(), 2u);
  const SendUpstream& primary = sends[0].shadow ? sends[1] : sends[0];
  const SendUpstream& shadow = sends[0].shadow ? sends[0] : sends[1];
  EXPECT_EQ(primary.endpoint.subset, "v1");
  EXPECT_EQ(shadow.endpoint.subset, "v2");
  h.sidecar->upstreamResponse(shadow.attempt, 500);
  EXPECT_TRUE(H::only<RespondToApp>(h.drain()).empty());
  h.sidecar->upstreamResponse(primary.attempt, 200);
  const auto answers = H::only<RespondToApp>(h.drain());
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].status, 200);
  const auto events = h.sink.all<RequestEvent>();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(events[0].shadow);
  EXPECT_EQ(events[0].status, 500);
}

TEST(SidecarOutbound, SameSeedSameTraceDifferentSeedDifferentTrace) {
  auto run = [](std::uint64_t seed) {
    SidecarHarness h;
    h.seed = seed;
    h.client();
    h.send(1);
    const auto sends = H::only<SendUpstream>(h.connectAll(h.drain()));
    return *sends.at(0).request.headers.find("traceparent");
  };
  EXPECT_EQ(run(7), run(7));
  EXPECT_NE(run(7), run(8));
}

}  // namespace
}  // namespace meshproof::dataplane
