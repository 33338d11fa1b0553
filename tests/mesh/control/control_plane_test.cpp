// The control plane on a manual clock: versions published with istiod's debounce and
// pushed to connected sidecars; an instance its node reports not ready leaves the
// endpoints (also while the control plane is down), a lost stream does not; certificate requests are signed (issued, then
// rotated) or denied while the CA is revoked; nothing is served while it is down and
// the changes made meanwhile are applied when it is back; canary checks judge the
// canary subset's telemetry and steer its weight; a control plane whose process
// restarts carries on from the state the last one left.
#include "mesh/control/control_plane.h"

#include <gtest/gtest.h>

namespace meshproof::control {
namespace {

constexpr TimeNs kEpoch = 1'767'225'600 * kSecond;

struct Fixture {
  ManualClock clock{0, kEpoch};
  RecordingSink sink;
  identity::CertificateAuthority ca{"cluster.local", kEpoch, Rng(5)};
  std::optional<ControlPlane> cp;

  explicit Fixture(std::vector<scenario::ConfigChange> changes = {}, std::vector<scenario::Canary> canaries = {},
                   std::optional<ControlPlaneRestart> resume = std::nullopt, TimeNs start = 0) {
    clock.set(start);
    ControlPlaneSpec spec;
    spec.resume = std::move(resume);
    spec.changes = std::move(changes);
    spec.canaries = std::move(canaries);
    for (const char* name : {"payments-v1-0", "payments-v1-1"})
      spec.instances.push_back({name, "payments", "v1", "zone-a", "spiffe://cluster.local/ns/shop/sa/payments"});
    spec.instances.push_back({"payments-v2-0", "payments", "v2", "zone-a", "spiffe://cluster.local/ns/shop/sa/payments"});
    spec.clients.push_back({"ingress-gateway-0", "spiffe://cluster.local/ns/meshproof-system/sa/ingress-gateway"});
    cp.emplace(std::move(spec), clock, ca, sink);
  }
  void connectAll() {
    for (const char* node : {"payments-v1-0", "payments-v1-1", "payments-v2-0", "ingress-gateway-0"})
      cp->receive(node, Hello{node, 1});
  }
  void runUntil(TimeNs t) {
    while (cp->nextDeadline() <= t) {
      clock.set(std::max(clock.now(), cp->nextDeadline()));
      cp->advance();
    }
    clock.set(t);
    cp->advance();
  }
  std::vector<Outgoing> drain() {
    std::vector<Outgoing> out;
    Outgoing o;
    while (cp->pollAction(o)) out.push_back(std::move(o));
    return out;
  }
  std::vector<std::string> published() const {
    std::vector<std::string> causes;
    for (const auto& e : sink.all<ConfigEvent>())
      if (e.state == "published") causes.push_back(std::to_string(e.version) + ":" + e.cause);
    return causes;
  }
};

scenario::ConfigChange shiftToV2(TimeNs at) {
  scenario::ConfigChange change;
  change.name = "shift";
  change.at = at;
  config::VirtualService vs;
  vs.service = "payments";
  config::HttpRoute route;
  route.route = {{"v2", 100}};
  vs.http = {route};
  change.change.traffic = {vs};
  return change;
}

// v2 a canary of payments: one step to 50% (unjudged), then promotion at the first passed check.
scenario::Canary halfThenPromote() {
  scenario::Canary canary;
  canary.service = "payments";
  canary.stable = "v1";
  canary.canary = "v2";
  canary.step_weight_percent = 50;
  canary.max_weight_percent = 50;
  canary.interval = 10 * kSecond;
  canary.threshold = 1;
  canary.min_success_rate_percent = 99;
  return canary;
}

TEST(ControlPlane, PublishesAChangeAfterTheDebounceAndPushesItToEveryStream) {
  Fixture f({shiftToV2(20 * kSecond)});
  EXPECT_EQ(f.cp->current()->version, 1u);
  EXPECT_EQ(f.cp->current()->endpoints->at("payments").size(), 3u);
  f.connectAll();
  EXPECT_TRUE(f.drain().empty());  // everyone runs version 1 already
  f.runUntil(20 * kSecond + 99 * kMillisecond);
  EXPECT_EQ(f.cp->current()->version, 1u);
  f.runUntil(20 * kSecond + 100 * kMillisecond);
  EXPECT_EQ(f.cp->current()->version, 2u);
  EXPECT_EQ(f.published(), (std::vector<std::string>{"1:initial", "2:change shift"}));
  EXPECT_EQ(f.sink.all<ConfigEvent>().back().changes, std::vector<std::string>{"shift"});
  const auto pushes = f.drain();
  ASSERT_EQ(pushes.size(), 4u);
  EXPECT_EQ(pushes[0].node, "ingress-gateway-0");  // streams in name order
  EXPECT_EQ(std::get<ConfigPush>(pushes[0].message).snapshot->config->traffic[0].http[0].route[0].subset, "v2");
  // A node that reports the old version again gets it again (a push lost on the way);
  // one that NACKed it does not.
  f.cp->receive("payments-v1-0", VersionReport{1});
  EXPECT_EQ(f.drain().size(), 1u);
  f.cp->receive("payments-v1-1", Nack{2, "bad"});
  f.cp->receive("payments-v1-1", VersionReport{1});
  EXPECT_TRUE(f.drain().empty());
}

TEST(ControlPlane, ReadinessFromTheNodesDecidesTheEndpointsNotTheStreams) {
  Fixture f;
  f.connectAll();
  f.clock.set(kSecond);
  f.cp->streamClosed("payments-v1-1");  // a lost stream: still an endpoint
  f.cp->instanceStatus("payments-v1-0", false, "the process exited");
  f.runUntil(kSecond + 100 * kMillisecond);
  EXPECT_EQ(*f.cp->current()->endpoints, (dataplane::EndpointTable{{"payments", {"payments-v1-1", "payments-v2-0"}}}));
  // While the control plane is down the registry still hears; the endpoints are
  // published when it is back.
  f.cp->stop();
  f.cp->instanceStatus("payments-v2-0", false, "the process exited");
  f.runUntil(5 * kSecond);
  EXPECT_EQ(f.cp->current()->version, 2u);
  f.cp->start();
  f.runUntil(5 * kSecond + 100 * kMillisecond);
  EXPECT_EQ(*f.cp->current()->endpoints, (dataplane::EndpointTable{{"payments", {"payments-v1-1"}}}));
  // Back: a fresh process says hello, gets the current version, then is ready.
  f.drain();
  f.cp->receive("payments-v1-0", Hello{"payments-v1-0", 0});
  const auto push = f.drain();
  ASSERT_EQ(push.size(), 1u);
  EXPECT_EQ(std::get<ConfigPush>(push[0].message).snapshot->version, 3u);
  f.cp->instanceStatus("payments-v1-0", true, "sidecar ready");
  f.runUntil(6 * kSecond);
  EXPECT_EQ(f.cp->current()->endpoints->at("payments"), (std::vector<std::string>{"payments-v1-0", "payments-v1-1"}));
  std::vector<std::string> readiness;
  for (const auto& e : f.sink.all<EndpointEvent>())
    if (e.state != "registered") readiness.push_back(e.instance + " " + e.state + ": " + e.reason);
  EXPECT_EQ(readiness, (std::vector<std::string>{"payments-v1-0 unhealthy: the process exited",
                                                 "payments-v2-0 unhealthy: the process exited",
                                                 "payments-v1-0 healthy: sidecar ready"}));
}

TEST(ControlPlane, SignsIssuedThenRotatedAndDeniesWhileRevoked) {
  Fixture f;
  f.connectAll();
  const auto key = identity::WorkloadKey::generate();
  const auto bootstrap = f.cp->bootstrapCertificate("payments-v1-0", key);
  ASSERT_NE(bootstrap, nullptr);
  EXPECT_EQ(bootstrap->spiffeId(), "spiffe://cluster.local/ns/shop/sa/payments");
  f.cp->receive("payments-v1-0", CertificateSigningRequest{identity::CertificateRequest::create(
                                     key, "spiffe://cluster.local/ns/shop/sa/payments")});
  auto answers = f.drain();
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<CertificateIssued>(answers[0].message));
  f.cp->ca().revoke();
  f.cp->receive("ingress-gateway-0",
                CertificateSigningRequest{identity::CertificateRequest::create(
                    key, "spiffe://cluster.local/ns/meshproof-system/sa/ingress-gateway")});
  answers = f.drain();
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(std::get<CertificateDenied>(answers[0].message).reason, "the mesh CA is revoked");
  std::vector<std::string> states;
  for (const auto& e : f.sink.all<CertEvent>()) states.push_back(e.instance + " " + e.state);
  EXPECT_EQ(states, (std::vector<std::string>{"payments-v1-0 issued", "payments-v1-0 rotated",
                                              "ingress-gateway-0 denied"}));
  EXPECT_EQ(f.sink.all<CertEvent>()[0].expires, 24 * kHour);
}

TEST(ControlPlane, ServesNothingWhileDownAndCatchesUpWhenBack) {
  Fixture f({shiftToV2(20 * kSecond)});
  f.connectAll();
  f.runUntil(10 * kSecond);
  f.cp->stop();
  EXPECT_EQ(f.cp->nextDeadline(), kNever);
  f.cp->receive("payments-v1-0", VersionReport{1});
  f.clock.set(40 * kSecond);
  EXPECT_TRUE(f.drain().empty());
  f.cp->start();
  f.runUntil(40 * kSecond + 100 * kMillisecond);
  EXPECT_EQ(f.published(), (std::vector<std::string>{"1:initial", "2:change shift"}));
  EXPECT_TRUE(f.drain().empty());  // no stream yet: sidecars reconnect and say hello
  f.cp->receive("payments-v1-0", Hello{"payments-v1-0", 1});
  EXPECT_EQ(f.drain().size(), 1u);
  // Nobody's readiness changed because the control plane was down.
  for (const auto& e : f.sink.all<EndpointEvent>()) EXPECT_EQ(e.state, "registered");
}

TEST(ControlPlane, CanaryChecksSteerTheWeightFromTheCanarysTelemetry) {
  Fixture f({}, {halfThenPromote()});
  EXPECT_EQ(f.cp->current()->telemetry_services, std::vector<std::string>{"payments"});
  f.connectAll();
  f.runUntil(10 * kSecond + 100 * kMillisecond);  // first step: 50% without judging
  EXPECT_EQ(f.cp->current()->config->traffic[0].http[0].route,
            (std::vector<config::RouteDestination>{{"v1", 50}, {"v2", 50}}));
  for (TimeNs t = 11 * kSecond; t <= 20 * kSecond; t += kSecond) {
    f.runUntil(t);
    telemetry::RequestStats stats;
    for (int i = 0; i < 10; ++i) stats.add(200, kNoFlags, 20 * kMillisecond);
    f.cp->receive("payments-v2-0", TelemetryReport{stats});
    telemetry::RequestStats failing;  // the stable subset's figures do not count
    failing.add(503, kNoFlags, kMillisecond);
    f.cp->receive("payments-v1-0", TelemetryReport{failing});
  }
  f.runUntil(20 * kSecond + 100 * kMillisecond);
  std::vector<std::string> steps;
  for (const auto& e : f.sink.all<CanaryEvent>()) steps.push_back(e.verdict + " " + std::to_string(e.weight));
  EXPECT_EQ(steps, (std::vector<std::string>{"start 0", "advance 50", "promoted 100"}));
  EXPECT_EQ(f.sink.all<CanaryEvent>().back().success_rate, 100.0);
  EXPECT_EQ(f.published(), (std::vector<std::string>{"1:initial", "2:canary payments weight 50",
                                                     "3:canary payments weight 100"}));
}


TEST(ControlPlane, ARestartedProcessCarriesOnFromTheStateTheLastOneLeft) {
  // The first process: a change at 5 s, the canary's first step at 10 s, one
  // instance unready, two certificates signed.
  scenario::ConfigChange early = shiftToV2(5 * kSecond);
  early.name = "early";
  const std::vector<scenario::ConfigChange> changes{early, shiftToV2(30 * kSecond)};
  Fixture first(changes, {halfThenPromote()});
  first.connectAll();
  first.cp->instanceStatus("payments-v1-1", false, "the process exited");
  const identity::WorkloadKey key = identity::WorkloadKey::generate();
  auto csr = [&](const std::string& id) {
    return CertificateSigningRequest{identity::CertificateRequest::create(key, id)};
  };
  first.cp->receive("payments-v1-0", csr("spiffe://cluster.local/ns/shop/sa/payments"));
  first.cp->receive("ingress-gateway-0", csr("spiffe://cluster.local/ns/meshproof-system/sa/ingress-gateway"));
  first.runUntil(12 * kSecond);
  const ControlPlaneState left = first.cp->state();
  EXPECT_EQ(left.version, 4u);  // 1 initial, 2 the endpoints, 3 the change, 4 the canary's 50%
  EXPECT_EQ(left.changes_applied, 1u);
  ASSERT_EQ(left.canaries.size(), 1u);
  EXPECT_EQ(left.canaries[0], (CanaryProgress{50, 1, 0, false}));
  EXPECT_EQ(left.certified, (std::set<std::string>{"ingress-gateway-0", "payments-v1-0"}));
  EXPECT_EQ(left.ready, (std::map<std::string, bool>{{"payments-v1-0", true}, {"payments-v1-1", false},
                                                     {"payments-v2-0", true}}));

  // It stops at 12 s; at 40 s a new process starts from that state. Meanwhile
  // payments-v1-1 came back and payments-v2-0 went, and the 30 s change fell due.
  Fixture second(changes, {halfThenPromote()},
                 ControlPlaneRestart{left, {{"payments-v1-1", {true, "sidecar ready"}},
                                            {"payments-v2-0", {false, "the process exited"}}}},
                 40 * kSecond);
  EXPECT_EQ(second.cp->current()->version, 5u);  // the versions go on rising for the sidecars
  EXPECT_EQ(second.cp->current()->recipe.changes_applied, 1u);
  EXPECT_EQ(second.cp->current()->recipe.canary_weights.at("payments"), 50);
  EXPECT_EQ(second.cp->current()->endpoints->at("payments"),
            (std::vector<std::string>{"payments-v1-0", "payments-v1-1"}));
  EXPECT_EQ(second.published(), (std::vector<std::string>{"5:restart"}));
  std::vector<std::string> endpoint_events;
  for (const auto& e : second.sink.all<EndpointEvent>()) endpoint_events.push_back(e.instance + " " + e.state);
  EXPECT_EQ(endpoint_events, (std::vector<std::string>{"payments-v1-1 healthy", "payments-v2-0 unhealthy"}));
  EXPECT_TRUE(second.sink.all<CanaryEvent>().empty());  // no second "start"

  // A sidecar that ran version 4 reconnects and gets 5; the change that fell due is
  // published after the debounce; the canary's next check is an interval after the restart.
  second.cp->receive("payments-v1-0", Hello{"payments-v1-0", 4});
  ASSERT_EQ(second.drain().size(), 1u);
  second.runUntil(40 * kSecond + 100 * kMillisecond);
  EXPECT_EQ(second.published(), (std::vector<std::string>{"5:restart", "6:change shift"}));
  EXPECT_EQ(second.cp->nextDeadline(), 50 * kSecond);
  // A node the first process certified gets a rotation, not a first issue.
  second.cp->receive("payments-v1-0", CertificateSigningRequest{identity::CertificateRequest::create(
                                          key, "spiffe://cluster.local/ns/shop/sa/payments")});
  second.drain();
  ASSERT_EQ(second.sink.all<CertEvent>().size(), 1u);
  EXPECT_EQ(second.sink.all<CertEvent>()[0].state, "rotated");
}

TEST(ControlPlane, RefusesAStateFromAnotherScenario) {
  ControlPlaneState state;
  state.changes_applied = 2;  // the scenario has one change
  EXPECT_THROW(Fixture({shiftToV2(kSecond)}, {}, ControlPlaneRestart{state, {}}), std::invalid_argument);
}

}  // namespace
}  // namespace meshproof::control
