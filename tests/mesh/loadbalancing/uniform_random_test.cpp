// RANDOM: Envoy's random balancer is uniform over the eligible hosts.
#include <gtest/gtest.h>

#include <map>

#include "mesh/loadbalancing/load_balancer.h"
#include "test_hosts.h"

namespace meshproof::lb {
namespace {

TEST(UniformRandom, FourHostsEachGetAQuarterWithinOnePoint) {
  constexpr int kPicks = 100'000;
  HostSet hosts(testing::endpoints(4));
  BalancerSettings settings;
  settings.policy = config::LbPolicy::kRandom;
  LoadBalancer balancer(hosts, settings, Rng(3));
  std::map<HostIndex, int> counts;
  for (int i = 0; i < kPicks; ++i) ++counts[*balancer.choose({})];
  for (HostIndex h = 0; h < 4; ++h) EXPECT_NEAR(testing::share(counts, h, kPicks), 0.25, 0.01) << "host " << h;
}

TEST(UniformRandom, EjectedHostGetsNothingAndTheRestAThirdEach) {
  constexpr int kPicks = 60'000;
  HostSet hosts(testing::endpoints(4));
  hosts.setEjected(2, true);
  BalancerSettings settings;
  settings.policy = config::LbPolicy::kRandom;
  LoadBalancer balancer(hosts, settings, Rng(3));
  std::map<HostIndex, int> counts;
  for (int i = 0; i < kPicks; ++i) ++counts[*balancer.choose({})];
  EXPECT_EQ(counts.count(2), 0u);
  for (HostIndex h : {0u, 1u, 3u}) EXPECT_NEAR(testing::share(counts, h, kPicks), 1.0 / 3, 0.01);
}

}  // namespace
}  // namespace meshproof::lb
