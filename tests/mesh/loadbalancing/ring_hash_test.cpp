// RING_HASH: Envoy's ketama ring (source/common/upstream/ring_hash_lb.cc): per-host entries
// ceil(minimum_ring_size / hosts) at hash("<host>_<i>"), first entry clockwise of the
// request hash; consistent hashing moves ~1/N of keys when the host set changes
// (arch_overview load_balancers "Ring hash").
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "mesh/loadbalancing/load_balancer.h"
#include "mesh/loadbalancing/ring_hash.h"
#include "test_hosts.h"

namespace meshproof::lb {
namespace {

BalancerSettings ringHash(int minimum_ring_size = 1024) {
  BalancerSettings settings;
  settings.policy = config::LbPolicy::kRingHash;
  settings.consistent_hash.http_header_name = "x-user";
  settings.consistent_hash.minimum_ring_size = minimum_ring_size;
  return settings;
}

std::optional<HostIndex> pickFor(LoadBalancer& balancer, const std::string& key) {
  Headers headers{{"x-user", key}};
  return balancer.choose(PickRequest{0, &headers, {}});
}

// Instance names of the host each of `keys` lands on.
std::vector<std::string> placement(HostSet& hosts, LoadBalancer& balancer, int keys) {
  std::vector<std::string> out;
  for (int k = 0; k < keys; ++k) out.push_back(hosts[*pickFor(balancer, "user-" + std::to_string(k))].endpoint.instance);
  return out;
}

TEST(RingHash, EnvoyRingSizing) {
  EXPECT_EQ(RingHashPicker::entriesPerHost(1024, 10), 103u);  // ring of 1030, Envoy's size stat
  EXPECT_EQ(RingHashPicker::entriesPerHost(1024, 11), 94u);
  EXPECT_EQ(RingHashPicker::entriesPerHost(1024, 1024), 1u);
  EXPECT_EQ(RingHashPicker::entriesPerHost(1024, 5000), 1u);  // "each host ... a single virtual node"
}

TEST(RingHash, SameKeySameHostAcrossPicksAndAcrossCallers) {
  HostSet hosts(testing::endpoints(10));
  LoadBalancer one_sidecar(hosts, ringHash(), Rng(1));
  LoadBalancer another_sidecar(hosts, ringHash(), Rng(999));
  std::set<HostIndex> used;
  for (int k = 0; k < 1000; ++k) {
    const std::string key = "user-" + std::to_string(k);
    const auto host = pickFor(one_sidecar, key);
    ASSERT_TRUE(host);
    EXPECT_EQ(pickFor(one_sidecar, key), host);
    EXPECT_EQ(pickFor(another_sidecar, key), host);  // the ring depends on names only
    used.insert(*host);
  }
  EXPECT_EQ(used.size(), 10u);
}

TEST(RingHash, KeysSpreadRoughlyEvenly) {
  HostSet hosts(testing::endpoints(10));
  LoadBalancer balancer(hosts, ringHash(), Rng(1));
  std::map<std::string, int> per_host;
  for (const auto& instance : placement(hosts, balancer, 10'000)) ++per_host[instance];
  for (const auto& [instance, count] : per_host) EXPECT_NEAR(count / 10'000.0, 0.1, 0.04) << instance;
}

TEST(RingHash, AddingAHostMovesKeysOnlyToItWhenEntriesPerHostStay) {
  // 100 -> 101 hosts at 1024: ceil(1024/100) == ceil(1024/101) == 11 entries each, so the
  // old entries stay and only arcs taken by the new host's entries change owner.
  HostSet hosts(testing::endpoints(100));
  LoadBalancer balancer(hosts, ringHash(), Rng(1));
  const auto before = placement(hosts, balancer, 10'000);
  const HostIndex added = hosts.add(testing::endpoint("payments", "v1", 100, "zone-a"));
  const auto after = placement(hosts, balancer, 10'000);
  int moved = 0;
  for (std::size_t k = 0; k < before.size(); ++k) {
    if (before[k] == after[k]) continue;
    ++moved;
    EXPECT_EQ(after[k], hosts[added].endpoint.instance) << "key " << k << " moved between old hosts";
  }
  EXPECT_GT(moved, 0);
  EXPECT_NEAR(moved / 10'000.0, 1.0 / 101, 0.008);  // 11 entries: the new host's arc is noisy
}

TEST(RingHash, AddingAnEleventhHostMovesAboutOneEleventhToIt) {
  // Envoy sizing shrinks each old host from 103 to 94 entries (ceil(1024/11)), so besides the
  // ~1/11 of keys the new host takes, keys on the 9 dropped entries per old host (~8.7% of
  // the ring) move to the next surviving entry, mostly another old host. This is Envoy's
  // behaviour; it is bounded by the dropped share.
  HostSet hosts(testing::endpoints(10));
  LoadBalancer balancer(hosts, ringHash(), Rng(1));
  const auto before = placement(hosts, balancer, 10'000);
  const HostIndex added = hosts.add(testing::endpoint("payments", "v1", 10, "zone-a"));
  const auto after = placement(hosts, balancer, 10'000);
  int to_new = 0;
  int between_old = 0;
  for (std::size_t k = 0; k < before.size(); ++k) {
    if (before[k] == after[k]) continue;
    (after[k] == hosts[added].endpoint.instance ? to_new : between_old)++;
  }
  EXPECT_NEAR(to_new / 10'000.0, 1.0 / 11, 0.03);
  EXPECT_LT(between_old / 10'000.0, 90.0 / 1030 + 0.02);
}

TEST(RingHash, EjectedHostsKeysGoToTheNextHostOnTheRing) {
  HostSet hosts(testing::endpoints(10));
  PriorityLevels levels(PriorityLevels::Settings{});
  RingHashPicker picker(1024);
  Rng rng(1);
  levels.rebuild(hosts);
  picker.onLevelsRebuilt(hosts, levels, true);
  const auto ring = picker.ring(0);  // copy: the ring as built over all ten hosts
  ASSERT_EQ(ring.size(), 1030u);

  std::vector<HostIndex> before;
  for (int k = 0; k < 10'000; ++k)
    before.push_back(*picker.pick(hosts, levels, 0, PickInput{stableHash("user-" + std::to_string(k)), 0, 0}, rng));

  const HostIndex ejected = 3;
  hosts.setEjected(ejected, true);
  levels.rebuild(hosts);
  picker.onLevelsRebuilt(hosts, levels, false);
  std::set<HostIndex> heirs;
  for (int k = 0; k < 10'000; ++k) {
    const std::uint64_t h = stableHash("user-" + std::to_string(k));
    const HostIndex now = *picker.pick(hosts, levels, 0, PickInput{h, 0, 0}, rng);
    if (before[k] != ejected) {
      EXPECT_EQ(now, before[k]) << "key " << k << " was not on the ejected host but moved";
      continue;
    }
    // Walk the original ring clockwise from the key's position to the first other host.
    auto it = std::lower_bound(ring.begin(), ring.end(), h,
                               [](const RingHashPicker::Entry& e, std::uint64_t v) { return e.hash < v; });
    std::size_t i = it == ring.end() ? 0 : static_cast<std::size_t>(it - ring.begin());
    while (ring[i].host == ejected) i = (i + 1) % ring.size();
    EXPECT_EQ(now, ring[i].host) << "key " << k;
    heirs.insert(now);
  }
  EXPECT_GT(heirs.size(), 3u);  // ketama spreads an ejected host's keys over its neighbours
}

TEST(RingHash, AbsentHeaderHashesARandomKey) {
  HostSet hosts(testing::endpoints(10));
  LoadBalancer balancer(hosts, ringHash(), Rng(1));
  std::set<HostIndex> used;
  for (int i = 0; i < 200; ++i) used.insert(*balancer.choose({}));
  EXPECT_GT(used.size(), 5u);
}

TEST(RingHash, RetryAvoidsThePreviousHostByWalkingOn) {
  HostSet hosts(testing::endpoints(10));
  LoadBalancer balancer(hosts, ringHash(), Rng(1));
  for (int k = 0; k < 500; ++k) {
    Headers headers{{"x-user", "user-" + std::to_string(k)}};
    const HostIndex first = *balancer.choose(PickRequest{0, &headers, {}});
    const HostIndex tried[] = {first};
    const auto retry = balancer.choose(PickRequest{0, &headers, tried});
    ASSERT_TRUE(retry);
    EXPECT_NE(*retry, first) << "key " << k;
    // Deterministic: the same key's retry lands on the same host.
    EXPECT_EQ(balancer.choose(PickRequest{0, &headers, tried}), retry);
  }
}

}  // namespace
}  // namespace meshproof::lb
