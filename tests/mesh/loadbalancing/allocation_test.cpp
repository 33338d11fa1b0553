// The per-request budget: choose() over 1,000 hosts allocates nothing once the cached views
// are built (every policy, with locality, ejections and a retry's previous hosts), and the
// cached views are rebuilt after an ejection without the caller asking. Global operator
// new is replaced in this test binary to count allocations inside a window.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <vector>

#include "mesh/loadbalancing/load_balancer.h"
#include "test_hosts.h"

namespace {
bool counting = false;
long allocations = 0;
}  // namespace

void* operator new(std::size_t size) {
  if (counting) ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace meshproof::lb {
namespace {

constexpr config::LbPolicy kAllPolicies[] = {config::LbPolicy::kRoundRobin, config::LbPolicy::kLeastRequest,
                                             config::LbPolicy::kRandom, config::LbPolicy::kRingHash,
                                             config::LbPolicy::kEwma};

TEST(Allocation, ChooseOverAThousandHostsAllocatesNothing) {
  HostSet hosts;
  for (int i = 0; i < 1000; ++i)
    hosts.add(testing::endpoint("payments", i % 2 ? "v1" : "v2", i, i % 3 ? "zone-a" : "zone-b"));
  for (HostIndex h = 0; h < 1000; h += 7) hosts.setEjected(h, true);

  for (config::LbPolicy policy : kAllPolicies) {
    BalancerSettings settings;
    settings.policy = policy;
    settings.subset = "v1";
    settings.local_zone = "zone-a";
    settings.locality.enabled = true;
    settings.consistent_hash.http_header_name = "x-user";
    LoadBalancer balancer(hosts, settings, Rng(1));
    Headers headers{{"x-user", "some-user-with-a-long-enough-name-to-defeat-sso"}};
    ASSERT_TRUE(balancer.choose({}));  // builds the cached views

    constexpr int kPicks = 200'000;
    allocations = 0;
    counting = true;
    const auto started = std::chrono::steady_clock::now();  // test-only timing, outside mesh/
    HostIndex last = 0;
    for (int i = 0; i < kPicks; ++i) {
      const HostIndex tried[] = {last};
      const auto host = balancer.choose(PickRequest{i * kMicrosecond, &headers, i % 10 == 0 ? std::span<const HostIndex>(tried) : std::span<const HostIndex>()});
      last = *host;
      hosts.onRequestStart(last, i * kMicrosecond);
      hosts.onRequestEnd(last, kMillisecond + (i % 7) * kMillisecond, i * kMicrosecond);
    }
    const auto elapsed = std::chrono::steady_clock::now() - started;
    counting = false;
    EXPECT_EQ(allocations, 0) << "policy " << static_cast<int>(policy);
    std::printf("policy %d: %.0f ns per pick+report over 1000 hosts\n", static_cast<int>(policy),
                std::chrono::duration<double, std::nano>(elapsed).count() / kPicks);

    hosts.setEjected(1, !hosts[1].ejected);  // an ejection change is picked up on the next choose
    const auto& levels = balancer.priorities();
    bool host1_eligible = false;
    for (const auto& level : levels.levels())
      for (HostIndex h : level.eligible) host1_eligible |= h == 1;
    EXPECT_EQ(host1_eligible, !hosts[1].ejected);
    hosts.setEjected(1, !hosts[1].ejected);
  }
}

}  // namespace
}  // namespace meshproof::lb

namespace meshproof::lb {
namespace {

TEST(Allocation, TheCounterSeesAnAllocation) {  // positive control for the test above
  allocations = 0;
  counting = true;
  std::vector<HostIndex> grown;
  grown.resize(1000);  // std::allocator calls ::operator new, which is never elided
  counting = false;
  EXPECT_EQ(allocations, 1);
}

}  // namespace
}  // namespace meshproof::lb
