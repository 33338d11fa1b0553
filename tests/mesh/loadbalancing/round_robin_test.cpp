// ROUND_ROBIN: Envoy's unweighted round robin visits eligible hosts in order and skips
// ejected ones (arch_overview/upstream/load_balancing/load_balancers: "each available
// upstream host is selected in round robin order").
#include <gtest/gtest.h>

#include <vector>

#include "mesh/loadbalancing/load_balancer.h"
#include "test_hosts.h"

namespace meshproof::lb {
namespace {

BalancerSettings roundRobin() {
  BalancerSettings settings;
  settings.policy = config::LbPolicy::kRoundRobin;
  return settings;
}

TEST(RoundRobin, VisitsHostsInOrderFromARandomStart) {
  HostSet hosts(testing::endpoints(4));
  LoadBalancer balancer(hosts, roundRobin(), Rng(7));
  const HostIndex first = *balancer.choose({});
  for (HostIndex k = 1; k < 12; ++k) EXPECT_EQ(*balancer.choose({}), (first + k) % 4) << "pick " << k;
}

TEST(RoundRobin, SkipsAnEjectedHostAndKeepsTheOrder) {
  HostSet hosts(testing::endpoints(4));
  LoadBalancer balancer(hosts, roundRobin(), Rng(7));
  hosts.setEjected(1, true);
  const std::vector<HostIndex> cycle{0, 2, 3};
  const HostIndex first = *balancer.choose({});
  ASSERT_NE(first, 1u);
  std::size_t position = static_cast<std::size_t>(std::find(cycle.begin(), cycle.end(), first) - cycle.begin());
  for (int k = 1; k < 9; ++k) {
    position = (position + 1) % cycle.size();
    EXPECT_EQ(*balancer.choose({}), cycle[position]) << "pick " << k;
  }
  hosts.setEjected(1, false);  // returned by outlier detection: visited again
  int seen_returned = 0;
  for (int k = 0; k < 4; ++k) seen_returned += *balancer.choose({}) == 1 ? 1 : 0;
  EXPECT_EQ(seen_returned, 1);
}

TEST(RoundRobin, StartOffsetDependsOnTheSeed) {
  // Envoy seeds its round-robin index randomly so that proxies do not move in lock step.
  std::vector<HostIndex> firsts;
  for (std::uint64_t seed = 1; seed <= 16; ++seed) {
    HostSet hosts(testing::endpoints(8));
    LoadBalancer balancer(hosts, roundRobin(), Rng(seed));
    firsts.push_back(*balancer.choose({}));
  }
  std::sort(firsts.begin(), firsts.end());
  EXPECT_GT(std::unique(firsts.begin(), firsts.end()) - firsts.begin(), 2);
}

}  // namespace
}  // namespace meshproof::lb
