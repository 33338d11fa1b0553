// Outlier detection against Envoy's documented behaviour: consecutive 5xx and
// gateway-error ejection, max ejection percent, return at the interval sweep, the
// ejection-time multiplier growing per ejection and shrinking while healthy.
#include "mesh/upstream/outlier_detector.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace meshproof::upstream {
namespace {

using testing::makeHosts;

config::OutlierDetection fiveXx() {
  config::OutlierDetection config;
  config.consecutive_5xx_errors = 5;
  config.consecutive_gateway_errors = 0;
  config.interval = 10 * kSecond;
  config.base_ejection_time = 30 * kSecond;
  config.max_ejection_percent = 50;
  return config;
}

void record(OutlierDetector& detector, HostIndex host, int status, int times, TimeNs now) {
  for (int i = 0; i < times; ++i) detector.recordResponse(host, status, now);
}

// Runs every sweep up to and including `until`, as a driver would.
void runSweepsUntil(OutlierDetector& detector, TimeNs until) {
  while (detector.nextDeadline() <= until) detector.onDeadline(detector.nextDeadline());
}

TEST(OutlierDetector, FifthConsecutive5xxEjectsFourthDoesNot) {
  RecordingSink sink;
  OutlierDetector detector("payments", makeHosts(4), fiveXx(), sink, 0);
  record(detector, 1, 500, 4, kSecond);
  EXPECT_FALSE(detector.isEjected(1));
  EXPECT_TRUE(sink.entries.empty());
  detector.recordResponse(1, 500, 2 * kSecond);
  EXPECT_TRUE(detector.isEjected(1));
  EXPECT_EQ(detector.ejectedCount(), 1);
  ASSERT_EQ(sink.entries.size(), 1u);
  EXPECT_EQ(sink.entries[0].t, 2 * kSecond);
  const auto event = std::get<EjectionEvent>(sink.entries[0].event);
  EXPECT_EQ(event.service, "payments");
  EXPECT_EQ(event.instance, "payments-v1-1");
  EXPECT_TRUE(event.ejected);
  EXPECT_EQ(event.reason, "consecutive5xx");
  EXPECT_EQ(event.times_ejected, 1);
  EXPECT_EQ(event.duration, 30 * kSecond);
}

TEST(OutlierDetector, HostsServiceDiscoveryDroppedDoNotCountInTheEjectionShare) {
  // 50% of 4 hosts allows 2 ejections; with 2 hosts gone from discovery, only 1.
  RecordingSink sink;
  OutlierDetector detector("payments", makeHosts(4), fiveXx(), sink, 0);
  detector.setPresent(2, false);
  detector.setPresent(3, false);
  record(detector, 0, 500, 5, kSecond);
  record(detector, 1, 500, 5, kSecond);
  EXPECT_TRUE(detector.isEjected(0));
  EXPECT_FALSE(detector.isEjected(1));
  detector.setPresent(2, true);  // 3 present: a second ejection would be 67% > 50%
  record(detector, 1, 500, 5, 2 * kSecond);
  EXPECT_FALSE(detector.isEjected(1));
  detector.setPresent(3, true);
  record(detector, 1, 500, 5, 3 * kSecond);
  EXPECT_TRUE(detector.isEjected(1));
}

TEST(OutlierDetector, NonErrorResponseResetsTheCount) {
  RecordingSink sink;
  OutlierDetector detector("payments", makeHosts(4), fiveXx(), sink, 0);
  record(detector, 0, 503, 4, 0);
  detector.recordResponse(0, 200, 0);
  record(detector, 0, 503, 4, 0);
  detector.recordResponse(0, 404, 0);  // a 4xx is not an error for outlier detection
  record(detector, 0, 503, 4, 0);
  EXPECT_FALSE(detector.isEjected(0));
  EXPECT_EQ(detector.consecutive5xx(0), 4);
  detector.recordResponse(0, 503, 0);
  EXPECT_TRUE(detector.isEjected(0));
}

TEST(OutlierDetector, GatewayErrorsCount502To504ButNot500) {
  RecordingSink sink;
  config::OutlierDetection config = fiveXx();
  config.consecutive_5xx_errors = 0;  // disabled
  config.consecutive_gateway_errors = 3;
  OutlierDetector detector("payments", makeHosts(4), config, sink, 0);

  detector.recordResponse(0, 502, 0);
  detector.recordResponse(0, 503, 0);
  detector.recordResponse(0, 504, 0);
  EXPECT_TRUE(detector.isEjected(0));
  EXPECT_EQ(sink.all<EjectionEvent>().at(0).reason, "consecutiveGateway");

  // A 500 is a 5xx but not a gateway error: it resets the gateway count.
  detector.recordResponse(1, 502, 0);
  detector.recordResponse(1, 500, 0);
  detector.recordResponse(1, 502, 0);
  detector.recordResponse(1, 503, 0);
  EXPECT_FALSE(detector.isEjected(1));
  EXPECT_EQ(detector.consecutiveGatewayErrors(1), 2);
  detector.recordResponse(1, 504, 0);
  EXPECT_TRUE(detector.isEjected(1));

  // With only consecutive 5xx disabled, five 500s eject nothing.
  record(detector, 2, 500, 10, 0);
  EXPECT_FALSE(detector.isEjected(2));
}

TEST(OutlierDetector, LocalOriginFailuresCountAs5xxAndGatewayErrors) {
  RecordingSink sink;
  OutlierDetector by5xx("payments", makeHosts(4), fiveXx(), sink, 0);
  for (int i = 0; i < 4; ++i) by5xx.recordLocalFailure(0, LocalOriginFailure::kConnectFailure, 0);
  EXPECT_FALSE(by5xx.isEjected(0));
  by5xx.recordLocalFailure(0, LocalOriginFailure::kReset, 0);
  EXPECT_TRUE(by5xx.isEjected(0));

  config::OutlierDetection gateway = fiveXx();
  gateway.consecutive_5xx_errors = 0;
  gateway.consecutive_gateway_errors = 2;
  OutlierDetector byGateway("payments", makeHosts(4), gateway, sink, 0);
  byGateway.recordLocalFailure(3, LocalOriginFailure::kConnectTimeout, 0);
  byGateway.recordLocalFailure(3, LocalOriginFailure::kRequestTimeout, 0);
  EXPECT_TRUE(byGateway.isEjected(3));
}

TEST(OutlierDetector, HostReturnsOnlyAtTheFirstSweepAfterBaseEjectionTime) {
  RecordingSink sink;
  OutlierDetector detector("payments", makeHosts(4), fiveXx(), sink, 0);
  EXPECT_EQ(detector.nextDeadline(), 10 * kSecond);
  record(detector, 2, 500, 5, 5 * kSecond);
  ASSERT_TRUE(detector.isEjected(2));

  detector.onDeadline(9 * kSecond);  // before the sweep: nothing
  EXPECT_EQ(detector.nextDeadline(), 10 * kSecond);
  runSweepsUntil(detector, 30 * kSecond);  // sweeps at 10, 20, 30 s: only 25 s elapsed
  EXPECT_TRUE(detector.isEjected(2));
  EXPECT_EQ(detector.nextDeadline(), 40 * kSecond);
  detector.onDeadline(40 * kSecond);  // 35 s >= 30 s
  EXPECT_FALSE(detector.isEjected(2));
  EXPECT_EQ(detector.ejectedCount(), 0);

  ASSERT_EQ(sink.entries.size(), 2u);
  EXPECT_EQ(sink.entries[1].t, 40 * kSecond);
  const auto back = std::get<EjectionEvent>(sink.entries[1].event);
  EXPECT_EQ(back.instance, "payments-v1-2");
  EXPECT_FALSE(back.ejected);
  EXPECT_EQ(back.reason, "expired");
  EXPECT_EQ(back.times_ejected, 1);
}

TEST(OutlierDetector, SecondEjectionLastsTwiceAsLongThenMultiplierDecaysWhileHealthy) {
  RecordingSink sink;
  OutlierDetector detector("payments", makeHosts(4), fiveXx(), sink, 0);
  record(detector, 0, 500, 5, 5 * kSecond);
  runSweepsUntil(detector, 40 * kSecond);
  ASSERT_FALSE(detector.isEjected(0));

  record(detector, 0, 500, 5, 41 * kSecond);
  ASSERT_TRUE(detector.isEjected(0));
  EXPECT_EQ(detector.timesEjected(0), 2);
  EXPECT_EQ(detector.ejectionMultiplier(0), 2);
  EXPECT_EQ(detector.ejectionDuration(0), 60 * kSecond);
  runSweepsUntil(detector, 100 * kSecond);  // 59 s elapsed at the 100 s sweep
  EXPECT_TRUE(detector.isEjected(0));
  detector.onDeadline(110 * kSecond);
  EXPECT_FALSE(detector.isEjected(0));

  // Healthy after returning: one step down per interval, starting one interval
  // after the return.
  EXPECT_EQ(detector.ejectionMultiplier(0), 2);
  detector.onDeadline(120 * kSecond);
  EXPECT_EQ(detector.ejectionMultiplier(0), 1);
  record(detector, 0, 500, 5, 125 * kSecond);
  EXPECT_EQ(detector.ejectionDuration(0), 60 * kSecond);  // 1 -> 2

  // eject 5 s, back 40 s, eject 41 s, back 110 s, eject 125 s.
  ASSERT_EQ(sink.entries.size(), 5u);
  const std::vector<TimeNs> times = {5 * kSecond, 40 * kSecond, 41 * kSecond, 110 * kSecond, 125 * kSecond};
  const std::vector<bool> ejected = {true, false, true, false, true};
  const std::vector<DurationNs> durations = {30 * kSecond, 30 * kSecond, 60 * kSecond, 60 * kSecond,
                                             60 * kSecond};
  for (std::size_t i = 0; i < 5; ++i) {
    const auto event = std::get<EjectionEvent>(sink.entries[i].event);
    EXPECT_EQ(sink.entries[i].t, times[i]) << i;
    EXPECT_EQ(event.ejected, ejected[i]) << i;
    EXPECT_EQ(event.duration, durations[i]) << i;
  }
  EXPECT_EQ(std::get<EjectionEvent>(sink.entries[4].event).times_ejected, 3);
}

TEST(OutlierDetector, MultiplierDecaysToZeroSoTheNextEjectionIsBaseAgain) {
  RecordingSink sink;
  OutlierDetector detector("payments", makeHosts(4), fiveXx(), sink, 0);
  record(detector, 0, 500, 5, 5 * kSecond);
  runSweepsUntil(detector, 40 * kSecond);  // back at 40 s
  record(detector, 0, 500, 5, 41 * kSecond);
  runSweepsUntil(detector, 110 * kSecond);  // back at 110 s with multiplier 2
  runSweepsUntil(detector, 150 * kSecond);
  EXPECT_EQ(detector.ejectionMultiplier(0), 0);
  record(detector, 0, 500, 5, 151 * kSecond);
  EXPECT_EQ(detector.ejectionDuration(0), 30 * kSecond);
  EXPECT_EQ(detector.timesEjected(0), 3);
}

TEST(OutlierDetector, EjectionTimeIsCappedAtMaxEjectionTime) {
  RecordingSink sink;
  OutlierDetector detector("payments", makeHosts(4), fiveXx(), sink, 0);
  TimeNs now = kSecond;
  std::vector<DurationNs> durations;
  for (int i = 0; i < 13; ++i) {
    record(detector, 0, 500, 5, now);
    ASSERT_TRUE(detector.isEjected(0));
    durations.push_back(detector.ejectionDuration(0));
    while (detector.isEjected(0)) {
      now = detector.nextDeadline();
      detector.onDeadline(now);
    }
    now += kSecond;  // re-eject before the next sweep can decay the multiplier
  }
  for (int i = 0; i < 10; ++i) EXPECT_EQ(durations[i], (i + 1) * 30 * kSecond) << i;
  EXPECT_EQ(durations[10], 300 * kSecond);
  EXPECT_EQ(durations[12], 300 * kSecond);
  EXPECT_EQ(detector.ejectionMultiplier(0), 11);  // stops once base x n >= max + base
}

TEST(OutlierDetector, MaxEjectionPercent50Of4HostsAllowsTwoEjections) {
  RecordingSink sink;
  OutlierDetector detector("payments", makeHosts(4), fiveXx(), sink, 0);
  record(detector, 0, 500, 5, 0);
  record(detector, 1, 500, 5, 0);
  record(detector, 2, 500, 5, 0);
  EXPECT_TRUE(detector.isEjected(0));
  EXPECT_TRUE(detector.isEjected(1));
  EXPECT_FALSE(detector.isEjected(2));  // 75% > 50%
  EXPECT_EQ(detector.ejectedCount(), 2);
  EXPECT_EQ(sink.all<EjectionEvent>().size(), 2u);
  // The refused attempt still reset the counter: four more 500s do not retry it.
  EXPECT_EQ(detector.consecutive5xx(2), 0);

  runSweepsUntil(detector, 30 * kSecond);  // hosts 0 and 1 back
  EXPECT_EQ(detector.ejectedCount(), 0);
  record(detector, 2, 500, 5, 31 * kSecond);
  EXPECT_TRUE(detector.isEjected(2));
}

TEST(OutlierDetector, DefaultTenPercentEjectsNothingFromASmallClusterUnlessAlwaysEjectOneHost) {
  config::OutlierDetection config = fiveXx();
  config.max_ejection_percent = 10;
  RecordingSink sink;
  OutlierDetector strict("payments", makeHosts(4), config, sink, 0);
  record(strict, 0, 500, 5, 0);
  EXPECT_FALSE(strict.isEjected(0));  // 25% > 10% (Envoy >= 1.27)

  OutlierDetector lenient("payments", makeHosts(4), config, sink, 0, OutlierDetectorOptions{true});
  record(lenient, 0, 500, 5, 0);
  record(lenient, 1, 500, 5, 0);
  EXPECT_TRUE(lenient.isEjected(0));
  EXPECT_FALSE(lenient.isEjected(1));

  OutlierDetector large("payments", makeHosts(10), config, sink, 0);
  record(large, 0, 500, 5, 0);
  record(large, 1, 500, 5, 0);
  EXPECT_TRUE(large.isEjected(0));  // 10% <= 10%
  EXPECT_FALSE(large.isEjected(1));
}

TEST(OutlierDetector, CountersResetWhenTheHostReturns) {
  RecordingSink sink;
  OutlierDetector detector("payments", makeHosts(4), fiveXx(), sink, 0);
  record(detector, 0, 500, 5, 0);
  record(detector, 0, 500, 7, kSecond);  // still counted while ejected; no second ejection
  EXPECT_EQ(detector.consecutive5xx(0), 7);
  EXPECT_EQ(detector.timesEjected(0), 1);
  runSweepsUntil(detector, 30 * kSecond);
  ASSERT_FALSE(detector.isEjected(0));
  EXPECT_EQ(detector.consecutive5xx(0), 0);
  record(detector, 0, 500, 4, 31 * kSecond);
  EXPECT_FALSE(detector.isEjected(0));
  detector.recordResponse(0, 500, 31 * kSecond);
  EXPECT_TRUE(detector.isEjected(0));
}

TEST(OutlierDetector, LateDriverSweepsOnceAndRearmsFromNow) {
  RecordingSink sink;
  OutlierDetector detector("payments", makeHosts(4), fiveXx(), sink, 0);
  record(detector, 0, 500, 5, 0);
  detector.onDeadline(95 * kSecond);
  EXPECT_FALSE(detector.isEjected(0));
  EXPECT_EQ(detector.nextDeadline(), 105 * kSecond);
}

}  // namespace
}  // namespace meshproof::upstream
