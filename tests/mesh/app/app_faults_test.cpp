// The process faults on a manual clock: abort answers at once without a slot,
// latency adds its delay (with jitter, never negative), the CPU factor stretches
// service times; and each applies from the moment it is set.
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "app_harness.h"

namespace meshproof::app {
namespace {

using testing::AppHarness;
using testing::fixedBehavior;
using testing::TimedRespond;

constexpr DurationNs ms = kMillisecond;

TEST(AppFaults, Abort100AnswersAtOnceWithoutTakingASlot) {
  AppHarness h(fixedBehavior(10 * ms, 1));
  h.send(1);
  h.runUntil(2 * ms);
  h.app.setAbortFault(503, 100);
  h.send(2);
  EXPECT_EQ(h.takeResponds(), (std::vector<TimedRespond>{{2 * ms, 2, 503}}));
  EXPECT_EQ(h.app.busy(), 1u);
  EXPECT_EQ(h.app.queued(), 0u);
  h.app.clearAbortFault();
  h.send(3);
  EXPECT_EQ(h.app.queued(), 1u);
  h.runUntil(100 * ms);
  EXPECT_EQ(h.takeResponds(), (std::vector<TimedRespond>{{10 * ms, 1, 200}, {20 * ms, 3, 200}}));
  EXPECT_EQ(h.app.counters().aborted, 1u);
  EXPECT_EQ(h.app.counters().errors, 1u);
  EXPECT_EQ(h.app.counters().served, 3u);
}

TEST(AppFaults, AbortPercentageIsTheShareOfArrivalsAborted) {
  AppHarness h(fixedBehavior(10 * ms, 0));
  h.app.setAbortFault(429, 25);
  constexpr int kRequests = 100'000;
  for (int i = 0; i < kRequests; ++i) h.send(static_cast<RequestId>(i));
  const auto aborted = h.takeResponds();
  for (const auto& r : aborted) ASSERT_EQ(r.status, 429);
  // Binomial(100k, 0.25): sd 0.137 points.
  EXPECT_NEAR(100.0 * static_cast<double>(aborted.size()) / kRequests, 25.0, 1.0);
  EXPECT_EQ(h.app.busy() + aborted.size(), static_cast<std::size_t>(kRequests));
}

TEST(AppFaults, LatencyWithoutJitterAddsExactlyTheDelay) {
  AppHarness h(fixedBehavior(10 * ms, 0));
  h.app.setLatencyFault(300 * ms, 0);
  h.send(1);
  h.app.clearLatencyFault();
  h.send(2);
  h.runUntil(1000 * ms);
  EXPECT_EQ(h.takeResponds(), (std::vector<TimedRespond>{{10 * ms, 2, 200}, {310 * ms, 1, 200}}));
}

TEST(AppFaults, LatencyAppliesWhenServiceStartsNotWhenTheRequestArrived) {
  AppHarness h(fixedBehavior(10 * ms, 1));
  h.send(1);
  h.send(2);  // queued
  h.app.setLatencyFault(300 * ms, 0);
  h.runUntil(1000 * ms);
  // Request 1 started before the fault; request 2 starts at 10ms under it.
  EXPECT_EQ(h.takeResponds(), (std::vector<TimedRespond>{{10 * ms, 1, 200}, {320 * ms, 2, 200}}));
}

TEST(AppFaults, JitterSpreadsTheDelayUniformlyAroundIt) {
  AppHarness h(fixedBehavior(0, 0));
  h.app.setLatencyFault(300 * ms, 50 * ms);
  constexpr int kRequests = 20'000;
  for (int i = 0; i < kRequests; ++i) h.send(static_cast<RequestId>(i));
  h.runUntil(kSecond);
  ASSERT_EQ(h.responds.size(), static_cast<std::size_t>(kRequests));
  TimeNs low = kNever, high = 0;
  double sum = 0;
  for (const auto& r : h.responds) {
    low = std::min(low, r.at);
    high = std::max(high, r.at);
    sum += static_cast<double>(r.at);
  }
  EXPECT_GE(low, 250 * ms);
  EXPECT_LE(high, 350 * ms);
  EXPECT_LT(low, 251 * ms);   // the whole range is used
  EXPECT_GT(high, 349 * ms);
  // Uniform over 100ms: sd of the mean 28.9ms / sqrt(20k) = 0.2ms.
  EXPECT_NEAR(sum / kRequests, 300.0 * ms, 1.0 * ms);
}

TEST(AppFaults, JitterLargerThanTheDelayNeverGoesNegative) {
  AppHarness h(fixedBehavior(0, 0));
  h.app.setLatencyFault(10 * ms, 50 * ms);  // [-40ms, 60ms] clamped at 0
  constexpr int kRequests = 20'000;
  for (int i = 0; i < kRequests; ++i) h.send(static_cast<RequestId>(i));
  h.runUntil(kSecond);
  ASSERT_EQ(h.responds.size(), static_cast<std::size_t>(kRequests));
  int at_once = 0;
  for (const auto& r : h.responds) at_once += r.at == 0;
  // P(draw <= 0) = 40ms / 100ms; sd of the share 0.35 points.
  EXPECT_NEAR(100.0 * at_once / kRequests, 40.0, 2.0);
}

TEST(AppFaults, CpuFactorDividesTheServiceTime) {
  AppHarness h(fixedBehavior(10 * ms, 0));
  h.app.setCpuFactor(0.25);
  h.send(1);
  h.app.setCpuFactor(2);
  h.send(2);
  h.app.setCpuFactor(1);
  h.send(3);
  h.runUntil(1000 * ms);
  EXPECT_EQ(h.takeResponds(),
            (std::vector<TimedRespond>{{5 * ms, 2, 200}, {10 * ms, 3, 200}, {40 * ms, 1, 200}}));
}

TEST(AppFaults, CpuFactorDoesNotStretchTheLatencyFault) {
  AppHarness h(fixedBehavior(10 * ms, 0));
  h.app.setCpuFactor(0.5);
  h.app.setLatencyFault(300 * ms, 0);
  h.send(1);
  h.runUntil(1000 * ms);
  EXPECT_EQ(h.takeResponds(), (std::vector<TimedRespond>{{320 * ms, 1, 200}}));
}

TEST(AppFaults, NonsenseSettingsAreRejected) {
  AppHarness h(fixedBehavior(10 * ms, 0));
  EXPECT_THROW(h.app.setCpuFactor(0), std::invalid_argument);
  EXPECT_THROW(h.app.setCpuFactor(-1), std::invalid_argument);
  EXPECT_THROW(h.app.setCpuFactor(std::numeric_limits<double>::infinity()), std::invalid_argument);
  EXPECT_THROW(h.app.setLatencyFault(-1, 0), std::invalid_argument);
  EXPECT_THROW(h.app.setLatencyFault(0, -1), std::invalid_argument);
  EXPECT_THROW(h.app.setAbortFault(99, 10), std::invalid_argument);
  EXPECT_THROW(h.app.setAbortFault(600, 10), std::invalid_argument);
  EXPECT_THROW(h.app.setAbortFault(503, 101), std::invalid_argument);
  EXPECT_THROW(h.app.setAbortFault(503, -1), std::invalid_argument);
  EXPECT_FALSE(h.app.faults().abortActive());
  EXPECT_FALSE(h.app.faults().latencyActive());
  EXPECT_EQ(h.app.faults().cpuFactor(), 1.0);
}

}  // namespace
}  // namespace meshproof::app
