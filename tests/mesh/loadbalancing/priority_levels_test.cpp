// Locality priority (Istio localityLbSetting with failover) and Envoy's priority load:
// health = min(100, 1.4 * healthy%), load cascades to the next priority
// (envoyproxy.io arch_overview/upstream/load_balancing/priority).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "mesh/loadbalancing/load_balancer.h"
#include "test_hosts.h"

namespace meshproof::lb {
namespace {

using Zones = std::vector<std::vector<std::string>>;

config::LocalityLbSetting localityWithFailover(std::vector<config::LocalityFailover> failover) {
  config::LocalityLbSetting locality;
  locality.enabled = true;
  locality.failover = std::move(failover);
  return locality;
}

TEST(ZonesByPriority, LocalThenFailoverTargetThenTheRestTogether) {
  const std::vector<std::string> present{"zone-d", "zone-b", "zone-a", "zone-c", "zone-a"};
  EXPECT_EQ(zonesByPriority("zone-a", localityWithFailover({{"zone-a", "zone-c"}}), present),
            (Zones{{"zone-a"}, {"zone-c"}, {"zone-b", "zone-d"}}));
  EXPECT_EQ(zonesByPriority("zone-a", localityWithFailover({}), present),
            (Zones{{"zone-a"}, {"zone-b", "zone-c", "zone-d"}}));
  // Only entries whose `from` is the caller's zone count, and only the first of them.
  EXPECT_EQ(zonesByPriority("zone-a", localityWithFailover({{"zone-b", "zone-d"}, {"zone-a", "zone-b"},
                                                            {"zone-a", "zone-c"}}),
                            present),
            (Zones{{"zone-a"}, {"zone-b"}, {"zone-c", "zone-d"}}));
  // A caller in a zone without hosts: its failover target leads.
  EXPECT_EQ(zonesByPriority("zone-x", localityWithFailover({{"zone-x", "zone-c"}}), present),
            (Zones{{"zone-c"}, {"zone-a", "zone-b", "zone-d"}}));
}

TEST(ZonesByPriority, DisabledOrNoCallerZoneIsOneLevel) {
  const std::vector<std::string> present{"zone-b", "zone-a"};
  config::LocalityLbSetting disabled = localityWithFailover({{"zone-a", "zone-b"}});
  disabled.enabled = false;
  EXPECT_EQ(zonesByPriority("zone-a", disabled, present), (Zones{{"zone-a", "zone-b"}}));
  EXPECT_EQ(zonesByPriority("", localityWithFailover({}), present), (Zones{{"zone-a", "zone-b"}}));
}

TEST(PriorityLoad, EnvoyDocumentationExamples) {
  // Two priorities, P=1 fully healthy; P=0 health after the 1.4 factor (docs table).
  const auto load = [](std::uint32_t p0_health) {
    const std::vector<std::uint32_t> health{p0_health, 100};
    return priorityLoadPercent(health);
  };
  EXPECT_EQ(load(100), (std::vector<std::uint32_t>{100, 0}));  // 100% or 72% healthy
  EXPECT_EQ(load(99), (std::vector<std::uint32_t>{99, 1}));    // 71% healthy
  EXPECT_EQ(load(70), (std::vector<std::uint32_t>{70, 30}));   // 50% healthy
  EXPECT_EQ(load(35), (std::vector<std::uint32_t>{35, 65}));   // 25% healthy
  EXPECT_EQ(load(0), (std::vector<std::uint32_t>{0, 100}));
  // Total health below 100 is normalised: 20 + 20 -> 50/50.
  EXPECT_EQ(priorityLoadPercent(std::vector<std::uint32_t>{20, 20}), (std::vector<std::uint32_t>{50, 50}));
  // Rounding remainder goes to the first available priority: 10/20/10 of 40 -> 25/50/25.
  EXPECT_EQ(priorityLoadPercent(std::vector<std::uint32_t>{10, 20, 10}), (std::vector<std::uint32_t>{25, 50, 25}));
  EXPECT_EQ(priorityLoadPercent(std::vector<std::uint32_t>{30, 30, 30}), (std::vector<std::uint32_t>{34, 33, 33}));
  // Nothing healthy anywhere: P0 nominally takes all (and finds no host).
  EXPECT_EQ(priorityLoadPercent(std::vector<std::uint32_t>{0, 0}), (std::vector<std::uint32_t>{100, 0}));
}

TEST(PriorityLevels, HealthUsesTheOverprovisioningFactorOnHostCounts) {
  // 71.4% rule: 5 of 7 healthy -> 140*5/7 = 100 (still fully healthy); 2 of 3 -> 93.
  HostSet hosts(testing::endpoints(7, "zone-a"));
  for (auto& e : testing::endpoints(3, "zone-b", 7)) hosts.add(e);
  PriorityLevels levels(PriorityLevels::Settings{"", "zone-a", localityWithFailover({}), 140});
  hosts.setEjected(0, true);
  hosts.setEjected(1, true);
  hosts.setEjected(7, true);
  levels.rebuild(hosts);
  ASSERT_EQ(levels.size(), 2u);
  EXPECT_EQ(levels[0].health_percent, 100u);
  EXPECT_EQ(levels[0].load_percent, 100u);
  EXPECT_EQ(levels[1].health_percent, 93u);
  EXPECT_EQ(levels[1].members.size(), 3u);
  EXPECT_EQ(levels[1].eligible.size(), 2u);
}

// Caller in zone-a; two hosts in each of zone-a, zone-b, zone-c.
struct ThreeZones {
  HostSet hosts;
  ThreeZones() {
    for (const char* zone : {"zone-a", "zone-b", "zone-c"})
      for (int i = 0; i < 2; ++i)
        hosts.add(testing::endpoint("payments", "v1", static_cast<int>(hosts.size()), zone));
  }
  std::map<std::string, double> zoneShares(LoadBalancer& balancer, int picks) {
    std::map<std::string, int> counts;
    for (int i = 0; i < picks; ++i) ++counts[hosts[*balancer.choose({})].endpoint.zone];
    std::map<std::string, double> shares;
    for (const auto& [zone, count] : counts) shares[zone] = static_cast<double>(count) / picks;
    return shares;
  }
};

BalancerSettings locality(config::LbPolicy policy, std::vector<config::LocalityFailover> failover) {
  BalancerSettings settings;
  settings.policy = policy;
  settings.local_zone = "zone-a";
  settings.locality = localityWithFailover(std::move(failover));
  return settings;
}

TEST(LocalityBalancing, AllTrafficStaysLocalWhileHealthy) {
  ThreeZones zones;
  LoadBalancer balancer(zones.hosts, locality(config::LbPolicy::kRoundRobin, {{"zone-a", "zone-b"}}), Rng(1));
  const auto shares = zones.zoneShares(balancer, 10'000);
  EXPECT_DOUBLE_EQ(shares.at("zone-a"), 1.0);
}

TEST(LocalityBalancing, OneOfTwoLocalHostsEjectedSpillsThirtyPercentToTheFailoverZone) {
  // 1 of 2 healthy: 50% * 1.4 = 70% stays local, 30% goes to the next priority (zone-b).
  ThreeZones zones;
  LoadBalancer balancer(zones.hosts, locality(config::LbPolicy::kLeastRequest, {{"zone-a", "zone-b"}}), Rng(1));
  zones.hosts.setEjected(0, true);
  const auto shares = zones.zoneShares(balancer, 50'000);
  EXPECT_NEAR(shares.at("zone-a"), 0.70, 0.01);
  EXPECT_NEAR(shares.at("zone-b"), 0.30, 0.01);
  EXPECT_EQ(shares.count("zone-c"), 0u);
  const auto& levels = balancer.priorities();
  EXPECT_EQ(levels[0].load_percent, 70u);
  EXPECT_EQ(levels[1].load_percent, 30u);
}

TEST(LocalityBalancing, FailoverOrderFollowsTheConfig) {
  for (const char* target : {"zone-b", "zone-c"}) {
    ThreeZones zones;
    LoadBalancer balancer(zones.hosts, locality(config::LbPolicy::kRandom, {{"zone-a", target}}), Rng(1));
    zones.hosts.setEjected(0, true);
    zones.hosts.setEjected(1, true);
    const auto shares = zones.zoneShares(balancer, 5'000);
    EXPECT_DOUBLE_EQ(shares.at(target), 1.0) << "failover to " << target;
  }
}

TEST(LocalityBalancing, WhenTheFailoverZoneIsDownTooTheRestTakesOver) {
  ThreeZones zones;
  LoadBalancer balancer(zones.hosts, locality(config::LbPolicy::kRoundRobin, {{"zone-a", "zone-b"}}), Rng(1));
  for (HostIndex h : {0u, 1u, 2u, 3u}) zones.hosts.setEjected(h, true);
  EXPECT_DOUBLE_EQ(zones.zoneShares(balancer, 1'000).at("zone-c"), 1.0);
}

TEST(LocalityBalancing, DisabledSpreadsOverEveryZone) {
  ThreeZones zones;
  BalancerSettings settings = locality(config::LbPolicy::kRoundRobin, {{"zone-a", "zone-b"}});
  settings.locality.enabled = false;
  LoadBalancer balancer(zones.hosts, settings, Rng(1));
  const auto shares = zones.zoneShares(balancer, 6'000);
  for (const char* zone : {"zone-a", "zone-b", "zone-c"}) EXPECT_NEAR(shares.at(zone), 1.0 / 3, 1e-9) << zone;
}

TEST(LocalityBalancing, RingHashChoosesThePriorityFromTheKey) {
  // Envoy's hash-based balancers pick the priority from the request hash: a key keeps its
  // host under spill instead of flapping between zones.
  ThreeZones zones;
  BalancerSettings settings = locality(config::LbPolicy::kRingHash, {{"zone-a", "zone-b"}});
  settings.consistent_hash.http_header_name = "x-user";
  LoadBalancer balancer(zones.hosts, settings, Rng(1));
  zones.hosts.setEjected(0, true);
  int local = 0;
  for (int k = 0; k < 5'000; ++k) {
    Headers headers{{"x-user", "user-" + std::to_string(k)}};
    const HostIndex host = *balancer.choose(PickRequest{0, &headers, {}});
    EXPECT_EQ(balancer.choose(PickRequest{0, &headers, {}}), host);
    local += zones.hosts[host].endpoint.zone == "zone-a" ? 1 : 0;
  }
  EXPECT_NEAR(local / 5'000.0, 0.70, 0.03);
}

}  // namespace
}  // namespace meshproof::lb
