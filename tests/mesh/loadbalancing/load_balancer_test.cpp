// The composed balancer: subset filter, no host (503 UH), Istio's retry host predicate
// previous_hosts with host_selection_retry_max_attempts 5 (Envoy LoadBalancerBase::chooseHost:
// up to 1 + 5 picks, then "if we didn't find anything, return the last host"), determinism.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <vector>

#include "mesh/loadbalancing/load_balancer.h"
#include "test_hosts.h"

namespace meshproof::lb {
namespace {

constexpr config::LbPolicy kAllPolicies[] = {config::LbPolicy::kRoundRobin, config::LbPolicy::kLeastRequest,
                                             config::LbPolicy::kRandom, config::LbPolicy::kRingHash,
                                             config::LbPolicy::kEwma};

BalancerSettings withPolicy(config::LbPolicy policy) {
  BalancerSettings settings;
  settings.policy = policy;
  return settings;
}

TEST(LoadBalancer, NoEligibleHostMeansNoPick) {
  for (config::LbPolicy policy : kAllPolicies) {
    HostSet hosts(testing::endpoints(3));
    LoadBalancer balancer(hosts, withPolicy(policy), Rng(1));
    ASSERT_TRUE(balancer.choose({}));
    for (HostIndex h = 0; h < 3; ++h) hosts.setEjected(h, true);
    EXPECT_FALSE(balancer.choose({})) << "policy " << static_cast<int>(policy);
    hosts.setEjected(2, true);
    hosts.setEjected(1, false);
    EXPECT_EQ(balancer.choose({}), 1u) << "policy " << static_cast<int>(policy);
  }
  HostSet empty;
  LoadBalancer balancer(empty, withPolicy(config::LbPolicy::kRoundRobin), Rng(1));
  EXPECT_FALSE(balancer.choose({}));
}

TEST(LoadBalancer, SubsetFilterKeepsToTheVersion) {
  HostSet hosts(testing::endpoints(3, "zone-a", 0, "v1"));
  for (auto& e : testing::endpoints(2, "zone-a", 0, "v2")) hosts.add(e);
  for (config::LbPolicy policy : kAllPolicies) {
    BalancerSettings settings = withPolicy(policy);
    settings.subset = "v2";
    LoadBalancer balancer(hosts, settings, Rng(1));
    std::map<HostIndex, int> counts;
    for (int i = 0; i < 1'000; ++i) ++counts[*balancer.choose({})];
    EXPECT_EQ(counts.size(), 2u) << "policy " << static_cast<int>(policy);
    for (const auto& [host, count] : counts) EXPECT_EQ(hosts[host].endpoint.subset, "v2");
    settings.subset = "v3";  // a subset without instances
    LoadBalancer none(hosts, settings, Rng(1));
    EXPECT_FALSE(none.choose({}));
  }
}

TEST(LoadBalancer, RetryAvoidsPreviousHostsUpToSixPicks) {
  // Random over 4 hosts, 3 already tried: each pick hits a tried host with p = 3/4; after
  // 1 + 5 picks Envoy keeps the last, so the untried host gets 1 - (3/4)^6 = 82.2%.
  constexpr int kPicks = 100'000;
  HostSet hosts(testing::endpoints(4));
  LoadBalancer balancer(hosts, withPolicy(config::LbPolicy::kRandom), Rng(21));
  const HostIndex tried[] = {0, 1, 2};
  int untried = 0;
  for (int i = 0; i < kPicks; ++i) untried += *balancer.choose(PickRequest{0, nullptr, tried}) == 3 ? 1 : 0;
  EXPECT_NEAR(static_cast<double>(untried) / kPicks, 1 - std::pow(0.75, 6), 0.005);
}

TEST(LoadBalancer, RetryAvoidanceNeverRepeatsWhenAnotherHostIsLikely) {
  for (config::LbPolicy policy : kAllPolicies) {
    HostSet hosts(testing::endpoints(10));
    LoadBalancer balancer(hosts, withPolicy(policy), Rng(4));
    int repeats = 0;
    for (int i = 0; i < 2'000; ++i) {
      const HostIndex first = *balancer.choose({});
      const HostIndex tried[] = {first};
      repeats += *balancer.choose(PickRequest{0, nullptr, tried}) == first ? 1 : 0;
    }
    // Round robin and ring hash never repeat; P2C/random repeat with at most (1/10)^6 odds.
    EXPECT_EQ(repeats, 0) << "policy " << static_cast<int>(policy);
  }
}

TEST(LoadBalancer, WithoutPreviousHostsThereIsNoReselection) {
  // Round robin over 2 hosts: a single try advances by one pick, a retry whose tried host is
  // next advances by two.
  HostSet hosts(testing::endpoints(2));
  LoadBalancer balancer(hosts, withPolicy(config::LbPolicy::kRoundRobin), Rng(1));
  const HostIndex a = *balancer.choose({});
  const HostIndex b = *balancer.choose({});
  EXPECT_NE(a, b);
  const HostIndex tried[] = {a};
  EXPECT_EQ(balancer.choose(PickRequest{0, nullptr, tried}), b);  // next was a: skipped
}

TEST(LoadBalancer, SameSeedSameSequence) {
  for (config::LbPolicy policy : kAllPolicies) {
    HostSet first_hosts(testing::endpoints(20));
    HostSet second_hosts(testing::endpoints(20));
    LoadBalancer first(first_hosts, withPolicy(policy), Rng(77).fork("checkout-v1-0/payments/lb"));
    LoadBalancer second(second_hosts, withPolicy(policy), Rng(77).fork("checkout-v1-0/payments/lb"));
    for (int i = 0; i < 500; ++i) {
      const auto a = first.choose(PickRequest{i * kMillisecond, nullptr, {}});
      const auto b = second.choose(PickRequest{i * kMillisecond, nullptr, {}});
      ASSERT_EQ(a, b) << "policy " << static_cast<int>(policy) << " pick " << i;
      first_hosts.onRequestStart(*a, i * kMillisecond);
      second_hosts.onRequestStart(*b, i * kMillisecond);
    }
  }
}

TEST(LoadBalancer, SettingsFromADestinationRule) {
  config::DestinationRule rule;
  rule.load_balancer = config::LbPolicy::kRingHash;
  rule.consistent_hash.http_header_name = "x-user";
  rule.locality_lb.enabled = true;
  rule.locality_lb.failover = {{"zone-a", "zone-b"}};
  const auto settings = BalancerSettings::forDestination(&rule, "v1", "zone-a");
  EXPECT_EQ(settings.policy, config::LbPolicy::kRingHash);
  EXPECT_EQ(settings.consistent_hash.http_header_name, "x-user");
  EXPECT_TRUE(settings.locality.enabled);
  EXPECT_EQ(settings.subset, "v1");
  EXPECT_EQ(settings.local_zone, "zone-a");
  EXPECT_EQ(settings.host_selection_retry_max_attempts, 5);
  EXPECT_EQ(BalancerSettings::forDestination(nullptr, "", "zone-a").policy, config::DestinationRule{}.load_balancer);
}

}  // namespace
}  // namespace meshproof::lb
