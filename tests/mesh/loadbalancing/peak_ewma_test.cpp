// EWMA: Linkerd's peak-EWMA with P2C (tower load::PeakEwma + balance::p2c). Known answers
// from tower's own tests (peak_ewma.rs: default_decay, compound_decay) and from the formula
// w = exp(-elapsed/decay), estimate = estimate*w + sample*(1-w), peaks replace at once.
#include <gtest/gtest.h>

#include <cmath>

#include "mesh/loadbalancing/load_balancer.h"
#include "mesh/loadbalancing/peak_ewma_estimate.h"
#include "test_hosts.h"

namespace meshproof::lb {
namespace {

constexpr double kMs = 1e6;

TEST(PeakEwmaEstimate, StartsAtLinkerdsDefaultRtt) {
  EXPECT_EQ(PeakEwmaSettings{}.default_rtt, 30 * kMillisecond);
  EXPECT_EQ(PeakEwmaSettings{}.decay, 10 * kSecond);
  PeakEwmaEstimate estimate;
  EXPECT_DOUBLE_EQ(estimate.decayTo(5 * kSecond, 10 * kSecond), 30 * kMs);  // first read anchors
}

TEST(PeakEwmaEstimate, TowerDefaultDecay) {
  // tower: default 10 ms, decay 1 s; after 100 ms the load is within (9, 10) ms, after 200 ms (8, 9).
  PeakEwmaEstimate estimate(10 * kMillisecond);
  EXPECT_DOUBLE_EQ(estimate.decayTo(0, kSecond), 10 * kMs);
  const double at_100ms = estimate.decayTo(100 * kMillisecond, kSecond);
  EXPECT_NEAR(at_100ms, 10 * kMs * std::exp(-0.1), 1.0);
  EXPECT_GT(at_100ms, 9 * kMs);
  const double at_200ms = estimate.decayTo(200 * kMillisecond, kSecond);
  EXPECT_GT(at_200ms, 8 * kMs);
  EXPECT_LT(at_200ms, 9 * kMs);
}

TEST(PeakEwmaEstimate, OneSlowSampleReplacesTheEstimateAtOnce) {
  PeakEwmaEstimate estimate;
  estimate.observe(10 * kMillisecond, 1 * kSecond, 10 * kSecond);
  EXPECT_DOUBLE_EQ(estimate.observe(500 * kMillisecond, 1 * kSecond + 1, 10 * kSecond), 500 * kMs);
}

TEST(PeakEwmaEstimate, AFasterSampleTenSecondsLaterWeighsOneMinusOneOverE) {
  PeakEwmaEstimate estimate;
  estimate.observe(100 * kMillisecond, 0, 10 * kSecond);
  const double next = estimate.observe(20 * kMillisecond, 10 * kSecond, 10 * kSecond);
  EXPECT_NEAR(next, 100 * kMs * std::exp(-1.0) + 20 * kMs * (1 - std::exp(-1.0)), 1.0);  // 49.43 ms
  EXPECT_NEAR(next / kMs, 49.43, 0.01);
}

TEST(PeakEwmaEstimate, IdleDecayIsOneOverEAfterTenSeconds) {
  PeakEwmaEstimate estimate;
  estimate.observe(100 * kMillisecond, 0, 10 * kSecond);
  EXPECT_NEAR(estimate.decayTo(10 * kSecond, 10 * kSecond) / kMs, 100 * std::exp(-1.0), 1e-6);  // 36.79 ms
}

TEST(PeakEwmaCost, TowerCompoundDecay) {
  // tower peak_ewma.rs compound_decay: default 20 ms, decay 1 s, two overlapping requests.
  HostSet hosts(testing::endpoints(1), PeakEwmaSettings{20 * kMillisecond, kSecond});
  EXPECT_DOUBLE_EQ(hosts.peakEwmaCost(0, 0), 20 * kMs);
  hosts.onRequestStart(0, 100 * kMillisecond);  // rsp0 sent at 100 ms
  EXPECT_GT(hosts.peakEwmaCost(0, 100 * kMillisecond), 20 * kMs);
  hosts.onRequestStart(0, 200 * kMillisecond);  // rsp1 sent at 200 ms
  EXPECT_GT(hosts.peakEwmaCost(0, 200 * kMillisecond), 40 * kMs);
  hosts.onRequestEnd(0, 200 * kMillisecond, 300 * kMillisecond);  // rsp0: 200 ms, a peak
  EXPECT_DOUBLE_EQ(hosts.peakEwmaCost(0, 300 * kMillisecond), 400 * kMs);
  hosts.onRequestEnd(0, 200 * kMillisecond, 400 * kMillisecond);  // rsp1: 200 ms
  EXPECT_DOUBLE_EQ(hosts.peakEwmaCost(0, 400 * kMillisecond), 200 * kMs);
  EXPECT_LT(hosts.peakEwmaCost(0, 1400 * kMillisecond), 100 * kMs);
  EXPECT_LT(hosts.peakEwmaCost(0, 11400 * kMillisecond), 0.1 * kMs);
}

BalancerSettings ewma() {
  BalancerSettings settings;
  settings.policy = config::LbPolicy::kEwma;
  return settings;
}

// A default below every sample makes each host's first sample a peak that sets its estimate
// exactly (a lower first sample would blend with weight 1 - exp(-elapsed/10 s), tiny).
HostSet hostsWithLowDefault(int count) {
  return HostSet(testing::endpoints(count), PeakEwmaSettings{1 * kMillisecond, 10 * kSecond});
}

// With two hosts, tower's sample_floyd2 always draws both: the lower cost always wins.
TEST(PeakEwmaBalancer, PrefersTheFasterHost) {
  HostSet hosts = hostsWithLowDefault(2);
  hosts.onRequestEnd(0, 80 * kMillisecond, 0);
  hosts.onRequestEnd(1, 10 * kMillisecond, 0);
  LoadBalancer balancer(hosts, ewma(), Rng(1));
  for (int i = 0; i < 100; ++i) EXPECT_EQ(*balancer.choose(PickRequest{kMillisecond * i, nullptr, {}}), 1u);
}

TEST(PeakEwmaBalancer, PendingRequestsMultiplyTheCost) {
  HostSet hosts = hostsWithLowDefault(2);
  hosts.onRequestEnd(0, 10 * kMillisecond, 0);  // 10 ms * (4 + 1) = 50 ms
  for (int i = 0; i < 4; ++i) hosts.onRequestStart(0, 0);
  hosts.onRequestEnd(1, 40 * kMillisecond, 0);  // 40 ms * 1
  LoadBalancer balancer(hosts, ewma(), Rng(1));
  EXPECT_EQ(*balancer.choose({}), 1u);
  // Faster samples at the same instant have weight 0 (elapsed 0): the estimate stays 10 ms.
  hosts.onRequestEnd(0, 5 * kMillisecond, 0);  // 3 pending left: 10 ms * 4 = 40 ms, a tie
  hosts.onRequestEnd(0, 5 * kMillisecond, 0);  // 2 pending: 30 ms < 40 ms
  EXPECT_EQ(*balancer.choose({}), 0u);
}

TEST(PeakEwmaBalancer, OneSlowSampleTurnsTrafficAwayAtOnce) {
  HostSet hosts = hostsWithLowDefault(2);
  hosts.onRequestEnd(0, 10 * kMillisecond, kSecond);
  hosts.onRequestEnd(1, 12 * kMillisecond, kSecond);
  LoadBalancer balancer(hosts, ewma(), Rng(1));
  EXPECT_EQ(*balancer.choose(PickRequest{kSecond, nullptr, {}}), 0u);
  hosts.onRequestEnd(0, 300 * kMillisecond, kSecond + kMillisecond);
  EXPECT_EQ(*balancer.choose(PickRequest{kSecond + kMillisecond, nullptr, {}}), 1u);
}

TEST(PeakEwmaBalancer, ASpikeFadesWithTheTenSecondDecay) {
  // Host 0 spikes to 300 ms at t=0, then answers in 20 ms every second; host 1 steadily
  // answers in 50 ms. Host 0's estimate is 20 + 280 e^{-t/10s}: 123 ms at 10 s (still
  // avoided), 33.9 ms at 30 s (preferred again); the crossing is at 10 s * ln(280/30) = 22.3 s.
  HostSet hosts(testing::endpoints(2));
  LoadBalancer balancer(hosts, ewma(), Rng(1));
  hosts.onRequestEnd(0, 300 * kMillisecond, 0);
  hosts.onRequestEnd(1, 50 * kMillisecond, 0);
  std::optional<HostIndex> at_10s, at_21s, at_24s, at_30s;
  for (int second = 1; second <= 30; ++second) {
    const TimeNs now = second * kSecond;
    hosts.onRequestEnd(0, 20 * kMillisecond, now);
    hosts.onRequestEnd(1, 50 * kMillisecond, now);
    const auto pick = balancer.choose(PickRequest{now, nullptr, {}});
    if (second == 10) at_10s = pick;
    if (second == 21) at_21s = pick;
    if (second == 24) at_24s = pick;
    if (second == 30) at_30s = pick;
  }
  EXPECT_EQ(at_10s, 1u);
  EXPECT_EQ(at_21s, 1u);
  EXPECT_EQ(at_24s, 0u);
  EXPECT_EQ(at_30s, 0u);
  EXPECT_NEAR(hosts[0].rtt_estimate.estimateNs() / kMs, 20 + 280 * std::exp(-3.0), 0.01);
}

TEST(PeakEwmaBalancer, ANewHostStartsAtTheDefaultRtt) {
  // A host with no samples costs 30 ms: preferred over a 40 ms host, avoided against 20 ms.
  HostSet hosts(testing::endpoints(3));
  hosts.onRequestEnd(0, 40 * kMillisecond, 0);
  hosts.setEjected(2, true);
  LoadBalancer balancer(hosts, ewma(), Rng(1));
  EXPECT_EQ(*balancer.choose({}), 1u);
  hosts.onRequestEnd(0, 20 * kMillisecond, 0);  // elapsed 0: w = 1, the estimate stays 40 ms
  hosts.setEjected(2, false);
  hosts.setEjected(1, true);
  hosts.onRequestEnd(2, 45 * kMillisecond, 0);
  EXPECT_EQ(*balancer.choose({}), 0u);  // 40 ms against 45 ms
}

TEST(PeakEwmaEstimate, AFirstSampleBlendsFromTheRequestStart) {
  // Anchored when the request starts (tower: at endpoint creation), a 10 ms first sample
  // against the 30 ms default weighs 1 - exp(-10 ms / 10 s): the estimate barely moves.
  HostSet hosts(testing::endpoints(1));
  hosts.onRequestStart(0, 0);
  hosts.onRequestEnd(0, 10 * kMillisecond, 10 * kMillisecond);
  const double w = std::exp(-0.001);
  EXPECT_NEAR(hosts[0].rtt_estimate.estimateNs(), 30 * kMs * w + 10 * kMs * (1 - w), 1.0);
}

TEST(PeakEwmaBalancer, TwoDistinctDrawsSpreadOverManyHosts) {
  // Equal costs: tower keeps draw a on ties, and a is uniform over the hosts.
  constexpr int kPicks = 40'000;
  HostSet hosts(testing::endpoints(4));
  LoadBalancer balancer(hosts, ewma(), Rng(9));
  std::map<HostIndex, int> counts;
  for (int i = 0; i < kPicks; ++i) ++counts[*balancer.choose({})];
  for (HostIndex h = 0; h < 4; ++h) EXPECT_NEAR(testing::share(counts, h, kPicks), 0.25, 0.015);
}

}  // namespace
}  // namespace meshproof::lb
