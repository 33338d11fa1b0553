// Each fault type changes what the mesh does in the way it would in production:
// a crash resets and refuses until the restart, a partition black-holes traffic
// between zones, loss costs retransmission timeouts, a slow link costs
// transmission time, and latency, abort and cpu act on the application.
#include <gtest/gtest.h>

#include <algorithm>

#include "mesh/core/http_wire_size.h"
#include "sim_harness.h"

namespace meshproof::sim {
namespace {

using testing::eventsOf;
using testing::simulateTrace;

// Two replicas of a 5 ms service behind round robin; `zones` places them, `rate` is
// the constant arrival rate. The ingress gateway sits in the first zone. The connect
// timeout covers TCP and the mTLS handshake, as Envoy's does.
std::string twoReplicaScenario(const std::string& extra, const std::string& zones = "[a]", int rate = 100,
                               const std::string& connect_timeout = "1s") {
  return R"(
name: faults
duration: 6s
network: {zones: [{name: a, latency: 100us}, {name: b, latency: 100us}], interZone: {latency: 1ms}}
services:
  - name: web
    versions: [{name: v1, replicas: 2, zones: )" +
         zones + R"(, behavior: {serviceTime: {fixed: 5ms}}}]
destinations:
  - {service: web, loadBalancer: ROUND_ROBIN, connectionPool: {tcp: {connectTimeout: )" +
         connect_timeout + R"(}}}
workload:
  - {name: users, target: web, rate: )" +
         std::to_string(rate) + R"(, arrival: constant}
)" + extra;
}

std::vector<ClientRequestEvent> clients(const chaos::TraceContents& trace) {
  std::vector<ClientRequestEvent> out;
  for (const auto& [t, c] : eventsOf<ClientRequestEvent>(trace)) out.push_back(c);
  return out;
}

DurationNs medianDuration(std::vector<ClientRequestEvent> cs) {
  std::sort(cs.begin(), cs.end(), [](const auto& a, const auto& b) { return a.duration < b.duration; });
  return cs.at(cs.size() / 2).duration;
}

// Source-reported requests to `instance` answered 200 and ending in [from, to).
int servedBy(const chaos::TraceContents& trace, const std::string& instance, TimeNs from, TimeNs to) {
  int n = 0;
  for (const auto& [t, r] : eventsOf<RequestEvent>(trace))
    if (r.reporter == "source" && r.destination_instance == instance && r.status == 200 && t >= from && t < to) ++n;
  return n;
}

TEST(SimFaults, CrashRefusesUntilRestartAndRetriesHideIt) {
  const auto trace = simulateTrace(
      twoReplicaScenario("faults: [{at: 2s, type: crash, target: {service: web, instance: 0}, restartAfter: 2s}]"), 1);
  const auto faults = eventsOf<FaultEvent>(trace);
  ASSERT_EQ(faults.size(), 2u);
  EXPECT_EQ(faults[0].first, 2 * kSecond);
  EXPECT_TRUE(faults[0].second.started);
  EXPECT_EQ(faults[0].second.targets, std::vector<std::string>{"web-v1-0"});
  EXPECT_EQ(faults[1].first, 4 * kSecond);
  EXPECT_EQ(servedBy(trace, "web-v1-0", 2 * kSecond + kMillisecond, 4 * kSecond), 0);
  EXPECT_GT(servedBy(trace, "web-v1-0", 4 * kSecond + 100 * kMillisecond, 6 * kSecond), 50);
  // Refused connects are retried (Istio's default retries connect-failure) on web-v1-1.
  const auto cs = clients(trace);
  EXPECT_EQ(cs.size(), 600u);
  const auto failed = std::count_if(cs.begin(), cs.end(), [](const auto& c) { return c.status != 200; });
  // Only requests in flight on web-v1-0 at the crash fail (a reset is not retried by
  // Istio's default policy): at 100/s round robin and 5 ms each, at most a couple.
  EXPECT_LE(failed, 2);
  for (const auto& c : cs) EXPECT_FALSE(c.lost);
}

TEST(SimFaults, PartitionBlackHolesTheOtherZoneUntilHealed) {
  // Timeouts make a partition survivable: a try gets 50 ms, connects 100 ms, and
  // resets, timeouts and connect failures are retried on the other host.
  const auto trace = simulateTrace(
      twoReplicaScenario("traffic: [{service: web, http: [{route: [{weight: 100}], timeout: 1s, retries: {attempts: 2, "
                         "perTryTimeout: 50ms, retryOn: \"5xx,reset,connect-failure\"}}]}]\n"
                         "faults: [{at: 2s, duration: 2s, type: partition, between: [{zone: a}, {zone: b}]}]",
                         "[a, b]", 100, "100ms"),
      1);
  EXPECT_GT(servedBy(trace, "web-v1-1", 0, 2 * kSecond), 50);
  EXPECT_EQ(servedBy(trace, "web-v1-1", 2 * kSecond + 10 * kMillisecond, 4 * kSecond), 0);
  EXPECT_GT(servedBy(trace, "web-v1-1", 4 * kSecond + 200 * kMillisecond, 6 * kSecond), 50);
  // Connects into zone b time out after 100 ms and are retried on web-v1-0.
  int retried_after_connect_timeout = 0;
  for (const auto& c : clients(trace)) {
    EXPECT_EQ(c.status, 200);
    if (c.start >= 2 * kSecond && c.start < 4 * kSecond && c.duration > 100 * kMillisecond)
      ++retried_after_connect_timeout;
  }
  EXPECT_GT(retried_after_connect_timeout, 0);
}

TEST(SimFaults, LossCostsTcpRetransmissionTimeouts) {
  const auto base = simulateTrace(twoReplicaScenario(""), 1);
  const auto lossy = simulateTrace(
      twoReplicaScenario("faults: [{at: 0s, type: loss, target: {service: web}, percentage: 30}]"), 1);
  const auto slow = clients(lossy);
  const auto delayed =
      std::count_if(slow.begin(), slow.end(), [](const auto& c) { return c.duration >= 200 * kMillisecond; });
  // A request and its response each cross the lossy host's link once, each lost with
  // 30% chance: 1 - 0.7^2 = 51% of requests wait at least one 200 ms retransmission.
  EXPECT_NEAR(static_cast<double>(delayed) / static_cast<double>(slow.size()), 0.51, 0.05);
  // Without loss no request waits (the first ones pay connection set-up, ~0.4 ms).
  for (const auto& c : clients(base)) EXPECT_LT(c.duration, 6 * kMillisecond);
}

TEST(SimFaults, NarrowLinkAddsTransmissionTime) {
  // 100 kbit/s on both hosts (80 us a byte). A call crosses a web host's link twice:
  // the gateway's request (request line, Host, x-request-id, traceparent: 100-150
  // bytes in its TLS record) and the app's answer (as `meshproof app` writes it, in
  // a TLS record: 115 bytes), as live mode sends them. Two requests a second never
  // overlap: the median is the 5 ms service time and those two transmissions.
  const auto slow = simulateTrace(
      twoReplicaScenario("faults: [{at: 0s, type: bandwidth, target: {service: web}, rate: 100kbps}]", "[a]", 2), 1);
  const DurationNs per_byte = 80 * kMicrosecond;
  const auto answer = static_cast<DurationNs>(tlsRecordBytes(http1AppAnswerBytes(200, "web-v1-0")));
  ASSERT_EQ(answer, 115);
  const DurationNs median = medianDuration(clients(slow));
  EXPECT_GT(median, 5 * kMillisecond + (answer + 100) * per_byte);
  EXPECT_LT(median, 5 * kMillisecond + (answer + 150) * per_byte + kMillisecond);
  // The first request to each host also carries the mTLS handshake (1.6 kB in, 1.5 kB
  // out: ~125 ms each way here); a 100 ms connect timeout would fail every connect (UF).
  // Offered 100 requests a second, the first ones find no connection up and each opens
  // its own: the handshakes share the link, few finish within the 1 s connect timeout,
  // and the requests wait for them (and fail UF,URX) in waves.
  const auto saturated = simulateTrace(
      twoReplicaScenario("faults: [{at: 0s, type: bandwidth, target: {service: web}, rate: 100kbps}]"), 1);
  EXPECT_GT(medianDuration(clients(saturated)), 4 * median);
}

TEST(SimFaults, CpuFactorStretchesServiceTime) {
  const auto trace =
      simulateTrace(twoReplicaScenario("faults: [{at: 0s, type: cpu, target: {service: web}, factor: 0.25}]"), 1);
  // 5 ms at a quarter speed is 20 ms, plus 2 x 100 us of network.
  EXPECT_NEAR(static_cast<double>(medianDuration(clients(trace))), 20.2e6, 0.05e6);
}

TEST(SimFaults, LatencyFaultDelaysTheApplicationForItsDuration) {
  const auto trace = simulateTrace(
      twoReplicaScenario(
          "faults: [{at: 2s, duration: 2s, type: latency, target: {service: web}, delay: 300ms, jitter: 0s}]"),
      1);
  for (const auto& c : clients(trace)) {
    const TimeNs served_at = c.start + 100 * kMicrosecond;
    if (c.start > 10 * kMillisecond && served_at < 2 * kSecond) {
      EXPECT_NEAR(static_cast<double>(c.duration), 5.2e6, 0.05e6);
    } else if (served_at >= 2 * kSecond && served_at < 4 * kSecond) {
      // Up to 0.4 ms more when the slower replies need new connections (TCP + mTLS).
      EXPECT_GE(c.duration, 305200 * kMicrosecond);
      EXPECT_LE(c.duration, 305700 * kMicrosecond);
    }
  }
}

TEST(SimFaults, AbortFaultFailsTheApplicationsAnswers) {
  const auto trace = simulateTrace(
      twoReplicaScenario(
          "traffic: [{service: web, http: [{route: [{weight: 100}], retries: {attempts: 0}}]}]\n"
          "faults: [{at: 0s, type: abort, target: {service: web}, httpStatus: 503, percentage: 100}]"),
      1);
  const auto cs = clients(trace);
  ASSERT_EQ(cs.size(), 600u);
  for (const auto& c : cs) {
    EXPECT_EQ(c.status, 503);
    EXPECT_EQ(c.flags, kNoFlags);  // the app answered 503; no sidecar local reply
  }
}

}  // namespace
}  // namespace meshproof::sim
