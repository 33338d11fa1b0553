// LEAST_REQUEST: Envoy's power of two choices, two draws with replacement, fewer active
// requests wins (arch_overview load_balancers "Weighted least request": "selects two random
// healthy hosts and picks the host which has fewer active requests").
#include <gtest/gtest.h>

#include <map>

#include "mesh/loadbalancing/load_balancer.h"
#include "test_hosts.h"

namespace meshproof::lb {
namespace {

BalancerSettings leastRequest() {
  BalancerSettings settings;
  settings.policy = config::LbPolicy::kLeastRequest;
  return settings;
}

TEST(LeastRequest, LoadedHostIsPickedOnlyWhenBothDrawsHitIt) {
  constexpr int kHosts = 4;
  constexpr int kPicks = 100'000;
  HostSet hosts(testing::endpoints(kHosts));
  for (int i = 0; i < 10; ++i) hosts.onRequestStart(0, 0);
  LoadBalancer balancer(hosts, leastRequest(), Rng(11));
  std::map<HostIndex, int> counts;
  for (int i = 0; i < kPicks; ++i) ++counts[*balancer.choose({})];
  // P(both draws hit host 0) = 1/n^2 = 6.25%; the rest is shared evenly.
  EXPECT_NEAR(testing::share(counts, 0, kPicks), 1.0 / (kHosts * kHosts), 0.004);
  for (HostIndex h = 1; h < kHosts; ++h)
    EXPECT_NEAR(testing::share(counts, h, kPicks), (1.0 - 1.0 / 16) / 3, 0.01) << "host " << h;
}

TEST(LeastRequest, FewerActiveWinsThreeTimesOutOfFourBetweenTwoHosts) {
  // Two hosts, draws with replacement: the busier one wins only when drawn twice (1/4).
  constexpr int kPicks = 40'000;
  HostSet hosts(testing::endpoints(2));
  for (int i = 0; i < 3; ++i) hosts.onRequestStart(0, 0);
  hosts.onRequestStart(1, 0);
  LoadBalancer balancer(hosts, leastRequest(), Rng(5));
  int busier = 0;
  for (int i = 0; i < kPicks; ++i) busier += *balancer.choose({}) == 0 ? 1 : 0;
  EXPECT_NEAR(static_cast<double>(busier) / kPicks, 0.25, 0.01);
}

TEST(LeastRequest, RequestEndsAreCountedBack) {
  HostSet hosts(testing::endpoints(2));
  hosts.onRequestStart(0, 0);
  hosts.onRequestStart(0, 0);
  hosts.onRequestEnd(0, 5 * kMillisecond, 10 * kMillisecond);
  EXPECT_EQ(hosts[0].active_requests, 1);
  hosts.onRequestEnd(0, 5 * kMillisecond, 20 * kMillisecond);
  hosts.onRequestEnd(0, 5 * kMillisecond, 30 * kMillisecond);  // a stray end never goes negative
  EXPECT_EQ(hosts[0].active_requests, 0);
}

}  // namespace
}  // namespace meshproof::lb
