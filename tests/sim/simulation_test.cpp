// End-to-end simulations: a request's latency is the network's plus the service
// time; the same seed replays the same run and another seed does not; an M/M/1
// service matches queueing theory.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "sim_harness.h"

namespace meshproof::sim {
namespace {

using testing::simulateText;

const char* kOneService = R"(
name: one-service
duration: 10s
network: {zones: [{name: z, latency: 100us, bandwidth: 10Gbps}]}
services:
  - name: web
    versions: [{name: v1, replicas: 2, behavior: {serviceTime: {fixed: 10ms}}}]
workload:
  - {name: users, target: web, rate: 10, arrival: constant}
)";

TEST(Simulation, EveryRequestAnsweredWithNetworkPlusServiceTime) {
  const auto run = simulateText(kOneService, 1);
  ASSERT_EQ(run.exit_code, 0) << run.error;
  ASSERT_EQ(run.clients.size(), 100u);  // 10/s for 10 s, constant arrivals from t=0
  std::vector<DurationNs> durations;
  for (const auto& c : run.clients) {
    EXPECT_EQ(c.status, 200);
    EXPECT_FALSE(c.lost);
    durations.push_back(c.duration);
  }
  std::sort(durations.begin(), durations.end());
  // Warm connection: 100 us there, 10 ms of service, 100 us back (plus under a
  // microsecond of transmission). The first request to each instance also pays TCP
  // and mTLS set-up, two round trips, and ~4 us to send 2.5 kB of certificates each way.
  EXPECT_NEAR(static_cast<double>(durations[50]), 10.2e6, 1e3);
  EXPECT_NEAR(static_cast<double>(durations.back()), 10.6e6 + 4e3, 2e3);
}

TEST(Simulation, SameSeedSameRunOtherSeedOtherRun) {
  const char* poisson = R"(
name: replay
duration: 5s
services:
  - name: web
    versions: [{name: v1, replicas: 3, behavior: {serviceTime: {mean: 5ms}}}]
workload:
  - {name: users, target: web, rate: 200}
)";
  const auto a = simulateText(poisson, 7);
  const auto b = simulateText(poisson, 7);
  const auto c = simulateText(poisson, 8);
  ASSERT_EQ(a.exit_code, 0) << a.error;
  EXPECT_GT(a.events, 1000u);
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_NE(a.fingerprint, c.fingerprint);
}

TEST(Simulation, MM1QueueMatchesTheory) {
  // lambda = 80/s, mu = 100/s, one worker: sojourn time ~ Exp(mu - lambda), so the
  // median is ln 2 / 20 s = 34.66 ms and the p99 ln 100 / 20 s = 230.26 ms. The
  // network adds 2 us per request (1 us each way), negligible here.
  const char* mm1 = R"(
name: mm1
duration: 12500s
network: {zones: [{name: z, latency: 1us, bandwidth: 100Gbps}]}
services:
  - name: queue
    versions: [{name: v1, replicas: 1, behavior: {serviceTime: {mean: 10ms}, concurrency: 1}}]
workload:
  - {name: arrivals, target: queue, rate: 80, arrival: poisson}
)";
  const auto run = simulateText(mm1, 42);
  ASSERT_EQ(run.exit_code, 0) << run.error;
  ASSERT_GT(run.clients.size(), 990'000u);
  std::vector<double> ms;
  for (const auto& c : run.clients) ms.push_back(static_cast<double>(c.duration) / 1e6);
  std::sort(ms.begin(), ms.end());
  const double p50 = ms[ms.size() / 2];
  const double p99 = ms[static_cast<std::size_t>(0.99 * static_cast<double>(ms.size()))];
  EXPECT_NEAR(p50, std::log(2.0) / 20 * 1000, 0.05 * 34.66) << "p50 " << p50;
  EXPECT_NEAR(p99, std::log(100.0) / 20 * 1000, 0.05 * 230.26) << "p99 " << p99;
}

}  // namespace
}  // namespace meshproof::sim
