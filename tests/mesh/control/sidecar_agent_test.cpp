// The sidecar's agent on a manual clock: hello with the running version, ACK and
// NACK (the last good snapshot kept), reconnects with Envoy's jittered backoff,
// version reports every 5 s, telemetry once a second for a service under canary
// analysis, and a fresh process that becomes ready once it has both a configuration
// and a certificate.
#include "mesh/control/sidecar_agent.h"

#include <gtest/gtest.h>

#include "mesh/identity/certificate_authority.h"

namespace meshproof::control {
namespace {

constexpr TimeNs kEpoch = 1'767'225'600 * kSecond;
const std::string kId = "spiffe://cluster.local/ns/shop/sa/payments";

// Applies every snapshot except those whose config has a route to subset "bad".
class FakeTarget final : public ConfigTarget {
 public:
  std::optional<std::string> apply(const ConfigSnapshot& snapshot) override {
    for (const auto& vs : snapshot.config->traffic)
      if (vs.http[0].route[0].subset == "bad") return "subset bad";
    applied.push_back(snapshot.version);
    return std::nullopt;
  }
  std::vector<std::uint64_t> applied;
};

SnapshotPtr snapshot(std::uint64_t version, std::string subset = "v1", std::vector<std::string> telemetry = {}) {
  auto s = std::make_shared<ConfigSnapshot>();
  s->version = version;
  auto config = std::make_shared<config::MeshConfig>();
  config::VirtualService vs;
  vs.service = "payments";
  config::HttpRoute route;
  route.route = {{std::move(subset), 100}};
  vs.http = {route};
  config->traffic = {vs};
  s->config = config;
  s->endpoints = std::make_shared<dataplane::EndpointTable>();
  s->telemetry_services = std::move(telemetry);
  return s;
}

AgentSpec paymentsAgent() {
  AgentSpec spec;
  spec.node = "payments-v1-0";
  spec.service = "payments";
  spec.spiffe_uri = kId;
  return spec;
}

struct Fixture {
  ManualClock clock{0, kEpoch};
  RecordingSink sink;
  FakeTarget target;
  identity::CertificateAuthority ca{"cluster.local", kEpoch, Rng(2)};
  SidecarAgent agent{paymentsAgent(), clock, Rng(11), sink, target};

  void bootstrap(SnapshotPtr s = snapshot(1)) {
    const auto key = identity::WorkloadKey::generate();
    agent.bootstrap(s, key, ca.issue(*identity::CertificateRequest::create(key, kId), kId, kEpoch, 24 * kHour).certificate);
  }
  std::vector<AgentAction> drain() {
    std::vector<AgentAction> out;
    AgentAction a;
    while (agent.pollAction(a)) out.push_back(std::move(a));
    return out;
  }
  std::vector<ToControlPlane> sent() {
    std::vector<ToControlPlane> out;
    for (auto& a : drain())
      if (auto* s = std::get_if<SendToControlPlane>(&a)) out.push_back(std::move(s->message));
    return out;
  }
  void runUntil(TimeNs t) {
    while (agent.nextDeadline() <= t) {
      clock.set(std::max(clock.now(), agent.nextDeadline()));
      agent.advance();
    }
    clock.set(t);
    agent.advance();
  }
};

TEST(SidecarAgent, SaysHelloThenAcksOrNacksPushes) {
  Fixture f;
  f.bootstrap();
  EXPECT_TRUE(f.agent.ready());
  f.agent.advance();
  const auto connect = f.drain();
  ASSERT_EQ(connect.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<ConnectStream>(connect[0]));
  f.agent.streamUp();
  auto sent = f.sent();
  ASSERT_EQ(sent.size(), 1u);
  const Hello hello = std::get<Hello>(sent[0]);
  EXPECT_EQ(hello.node, "payments-v1-0");
  EXPECT_EQ(hello.applied_version, 1u);

  f.agent.receive(ConfigPush{snapshot(2, "bad")});
  sent = f.sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(std::get<Nack>(sent[0]).reason, "subset bad");
  EXPECT_EQ(f.agent.applied()->version, 1u);
  f.agent.receive(ConfigPush{snapshot(2, "bad")});  // the same version again: no second NACK
  EXPECT_TRUE(f.sent().empty());
  f.agent.receive(ConfigPush{snapshot(3)});
  sent = f.sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(std::get<Ack>(sent[0]).version, 3u);
  EXPECT_EQ(f.target.applied, std::vector<std::uint64_t>{3});
  std::vector<std::string> events;
  for (const auto& e : f.sink.all<ConfigEvent>()) events.push_back(std::to_string(e.version) + " " + e.state);
  EXPECT_EQ(events, (std::vector<std::string>{"1 applied", "2 rejected", "3 applied"}));
}

TEST(SidecarAgent, ReconnectsWithJitteredExponentialBackoff) {
  Fixture f;
  f.bootstrap();
  f.agent.advance();
  f.drain();
  std::vector<TimeNs> attempts;
  for (int i = 0; i < 5; ++i) {
    f.agent.streamDown();  // refused: the control plane is down
    const TimeNs at = f.agent.nextDeadline();
    f.runUntil(at);
    auto actions = f.drain();
    ASSERT_EQ(actions.size(), 1u);
    attempts.push_back(f.clock.now());
  }
  // Gaps in [0, 0.5 s), [0, 1.5 s), [0, 3.5 s), [0, 7.5 s), [0, 15.5 s).
  TimeNs previous = 0;
  const DurationNs ceilings[] = {500, 1500, 3500, 7500, 15500};
  for (int i = 0; i < 5; ++i) {
    EXPECT_GE(attempts[i] - previous, 0);
    EXPECT_LT(attempts[i] - previous, ceilings[i] * kMillisecond) << i;
    previous = attempts[i];
  }
  EXPECT_TRUE(f.agent.ready());  // static stability: it keeps what it has
}

TEST(SidecarAgent, ReportsItsVersionAndCanaryTelemetry) {
  Fixture f;
  f.bootstrap(snapshot(1, "v1", {"payments"}));
  f.agent.advance();
  f.drain();
  f.agent.streamUp();
  f.sent();
  RequestEvent inbound;
  inbound.reporter = "destination";
  inbound.status = 200;
  inbound.duration = 5 * kMillisecond;
  f.agent.observeInbound(inbound);
  f.agent.observeInbound(inbound);
  f.runUntil(5 * kSecond);
  int reports = 0, telemetry = 0;
  std::uint64_t requests = 0;
  for (const auto& m : f.sent()) {
    if (const auto* r = std::get_if<VersionReport>(&m)) {
      ++reports;
      EXPECT_EQ(r->applied_version, 1u);
    }
    if (const auto* t = std::get_if<TelemetryReport>(&m)) {
      ++telemetry;
      requests += t->inbound.requests();
    }
  }
  EXPECT_EQ(reports, 1);    // at 5 s
  EXPECT_EQ(telemetry, 1);  // at 1 s; empty intervals send nothing
  EXPECT_EQ(requests, 2u);
}

TEST(SidecarAgent, AFreshProcessIsReadyWithAConfigurationAndACertificate) {
  Fixture f;
  EXPECT_FALSE(f.agent.ready());
  f.agent.advance();
  f.drain();
  f.agent.streamUp();
  auto sent = f.sent();
  EXPECT_EQ(std::get<Hello>(sent[0]).applied_version, 0u);
  f.agent.advance();  // no certificate: it asks for one at once
  sent = f.sent();
  ASSERT_EQ(sent.size(), 1u);
  const auto csr = std::get<CertificateSigningRequest>(sent[0]).request;
  f.agent.receive(ConfigPush{snapshot(4)});
  sent = f.sent();
  ASSERT_EQ(sent.size(), 1u);  // the ACK; not ready yet
  EXPECT_FALSE(f.agent.ready());
  f.agent.receive(CertificateIssued{f.ca.issue(*csr, kId, kEpoch, 24 * kHour).certificate});
  EXPECT_TRUE(f.agent.ready());
}

}  // namespace
}  // namespace meshproof::control
