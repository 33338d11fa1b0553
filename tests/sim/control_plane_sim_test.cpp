// The control plane inside the simulation, against known figures: a change reaches
// every sidecar at the debounce plus the network's one-way latency; a node whose
// clock jumps 25 h ahead sees every certificate as expired, so its handshakes fail
// both ways and its callers' retries go elsewhere; an instance restarted while the
// control plane is down cannot join until it is back.
#include <gtest/gtest.h>

#include <algorithm>

#include "sim_harness.h"

namespace meshproof::sim {
namespace {

using testing::eventsOf;
using testing::simulateTrace;

std::string webScenario(const std::string& extra) {
  return R"(
name: control
duration: 10s
network: {zones: [{name: a, latency: 1ms}]}
services:
  - name: web
    versions: [{name: v1, replicas: 3, behavior: {serviceTime: {fixed: 5ms}}}]
destinations:
  - {service: web, loadBalancer: ROUND_ROBIN, connectionPool: {http: {maxRequestsPerConnection: 1}}}
workload:
  - {name: users, target: web, rate: 100, arrival: constant}
)" + extra;
}

TEST(ControlPlaneSim, AChangeArrivesAfterTheDebounceAndOneLatency) {
  const auto trace = simulateTrace(webScenario(R"(
changes:
  - {name: timeout, at: 2s, traffic: [{service: web, http: [{route: [{subset: v1}], timeout: 1s}]}]}
)"),
                                   1);
  std::vector<std::pair<TimeNs, ConfigEvent>> version2;
  for (const auto& [t, e] : eventsOf<ConfigEvent>(trace))
    if (e.version == 2) version2.emplace_back(t, e);
  ASSERT_EQ(version2.size(), 5u);  // published, then 3 instances and the gateway
  EXPECT_EQ(version2[0].first, 2 * kSecond + 100 * kMillisecond);
  EXPECT_EQ(version2[0].second.state, "published");
  EXPECT_EQ(version2[0].second.changes, std::vector<std::string>{"timeout"});
  for (std::size_t i = 1; i < version2.size(); ++i) {
    EXPECT_EQ(version2[i].second.state, "applied");
    // 1 ms one way, plus the four pushes of a 4.35 kB snapshot sharing the control
    // plane's 10 Gbps link: 4 x 4352 B x 8 / 10 Gbps = 13.9 us.
    EXPECT_NEAR(static_cast<double>(version2[i].first - version2[0].first), 1e6 + 13.9e3, 0.2e3)
        << version2[i].second.node;
  }
}

TEST(ControlPlaneSim, ASkewedClockRefusesEveryCertificateAndIsRoutedAround) {
  const auto trace = simulateTrace(
      webScenario("faults: [{at: 3s, duration: 3s, type: clock-skew, target: {service: web, instance: 0}, offset: 25h}]"),
      1);
  int rejected_by_skewed = 0, rejected_skewed = 0;
  for (const auto& [t, e] : eventsOf<CertEvent>(trace)) {
    if (e.state != "rejected") continue;
    EXPECT_GE(t, 3 * kSecond);
    EXPECT_LT(t, 6 * kSecond + 100 * kMillisecond);
    if (e.instance == "web-v1-0") {
      ++rejected_by_skewed;  // it sees the gateway's certificate 1 h past notAfter
      EXPECT_EQ(e.reason, "certificate has expired");
      EXPECT_EQ(e.peer, "ingress-gateway-0");
    } else {
      ++rejected_skewed;  // the certificate it got renewed with, seen by others, is fine
    }
  }
  EXPECT_GT(rejected_by_skewed, 50);
  EXPECT_EQ(rejected_skewed, 0);
  // Its callers fail over (Istio's default retries on connect-failure): every client
  // request succeeds, and none that arrives while its clock is off is served by it.
  for (const auto& [t, c] : eventsOf<ClientRequestEvent>(trace)) EXPECT_EQ(c.status, 200);
  for (const auto& [t, r] : eventsOf<RequestEvent>(trace)) {
    const bool during = r.start > 3 * kSecond + 10 * kMillisecond && r.start < 6 * kSecond;
    if (r.reporter == "destination" && r.destination_instance == "web-v1-0") {
      EXPECT_FALSE(during) << r.start;
    }
  }
}

TEST(ControlPlaneSim, AnInstanceRestartedDuringAnOutageJoinsWhenTheControlPlaneIsBack) {
  const auto trace = simulateTrace(webScenario(R"(
faults:
  - {at: 2s, duration: 4s, type: control-plane-down}
  - {at: 3s, type: crash, target: {service: web, instance: 0}, restartAfter: 1s}
)"),
                                   1);
  std::vector<std::string> web0;
  for (const auto& [t, e] : eventsOf<EndpointEvent>(trace))
    if (e.instance == "web-v1-0" && e.state != "registered") web0.push_back(e.state + " " + e.reason);
  EXPECT_EQ(web0, (std::vector<std::string>{"unhealthy the process exited", "healthy sidecar ready"}));
  TimeNs ready_at = 0, first_served = kNever;
  for (const auto& [t, e] : eventsOf<EndpointEvent>(trace))
    if (e.instance == "web-v1-0" && e.state == "healthy") ready_at = t;
  for (const auto& [t, r] : eventsOf<RequestEvent>(trace))
    if (r.reporter == "destination" && r.destination_instance == "web-v1-0" && t > 3 * kSecond)
      first_served = std::min(first_served, t);
  // Without a configuration and a certificate the new process cannot serve: it is
  // ready only after the control plane is back at 6 s (plus its reconnect backoff).
  EXPECT_GT(ready_at, 6 * kSecond);
  EXPECT_GT(first_served, ready_at);
  for (const auto& [t, c] : eventsOf<ClientRequestEvent>(trace)) EXPECT_FALSE(c.lost);
}

}  // namespace
}  // namespace meshproof::sim
