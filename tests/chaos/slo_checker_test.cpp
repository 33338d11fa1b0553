// slo: success rate and p99 of source-reported requests to a service ending in
// [from, to); boundaries of the window, of the minimum and of the maximum.
#include <gtest/gtest.h>

#include "event_builders.h"
#include "expectation_fixture.h"

namespace meshproof::chaos {
namespace {

using namespace testing;

scenario::SloExpectation slo() {
  scenario::SloExpectation spec;
  spec.service = "payments";
  spec.min_success_rate_percent = 99.5;
  spec.max_latency_p99 = 10 * kMillisecond;
  spec.window_from = 10 * kSecond;
  spec.window_to = 20 * kSecond;
  return spec;
}

TEST(SloChecker, PassesAtExactlyTheMinimumAndTheMaximum) {
  TimedEvents events;
  for (int i = 0; i < 199; ++i) events.push_back(at(sourceHop("payments", 200, 15 * kSecond, 10 * kMillisecond)));
  events.push_back(at(sourceHop("payments", 500, 15 * kSecond, 10 * kMillisecond)));
  EXPECT_EQ(verdictOf(slo(), events),
            R"j({"name":"e","type":"slo","passed":true,"observed":{"successRate":99.5,"latencyP99_ms":10.0,)j"
            R"j("requests":200},"at_s":20.0})j");
}

TEST(SloChecker, CountsOnlySourceReportedRequestsToTheServiceEndingInTheHalfOpenWindow) {
  TimedEvents events;
  events.push_back(at(sourceHop("payments", 200, 10 * kSecond, kMillisecond)));          // at from: in
  events.push_back(at(sourceHop("payments", 503, 10 * kSecond - 1, kMillisecond)));      // before from
  events.push_back(at(sourceHop("payments", 503, 20 * kSecond, kMillisecond)));          // at to: out
  events.push_back(at(sourceHop("checkout", 503, 15 * kSecond, kMillisecond)));          // other service
  events.push_back(at(destinationHop("payments", "p", 503, 15 * kSecond)));              // other reporter
  events.push_back({15 * kSecond, clientRequest(503, 15 * kSecond, kMillisecond)});      // not a hop
  events.push_back(at(sourceHop("payments", 404, 20 * kSecond - 1, 2 * kMillisecond)));  // 4xx succeeds
  EXPECT_EQ(verdictOf(slo(), events),
            R"j({"name":"e","type":"slo","passed":true,"observed":{"successRate":100.0,"latencyP99_ms":2.0,)j"
            R"j("requests":2},"at_s":20.0})j");
}

TEST(SloChecker, FailsBelowTheMinimumAndAboveTheMaximum) {
  TimedEvents events;
  // 99 requests: the p99 rank is the slowest one, which the histogram gives exactly.
  for (int i = 0; i < 97; ++i) events.push_back(at(sourceHop("payments", 200, 12 * kSecond, 10 * kMillisecond)));
  events.push_back(at(sourceHop("payments", 0, 12 * kSecond, 900 * kMillisecond)));  // status 0 fails
  events.push_back(at(sourceHop("payments", 503, 12 * kSecond, 900 * kMillisecond, kUpstreamOverflow)));
  EXPECT_EQ(verdictOf(slo(), events),
            R"j({"name":"e","type":"slo","passed":false,"observed":{"successRate":97.98,"latencyP99_ms":900.0,)j"
            R"j("requests":99},"reason":"success rate 97.980% < min 99.500%; latency p99 900.000 ms > max )j"
            R"j(10.000 ms","at_s":20.0})j");
}

TEST(SloChecker, FailsOnOneNanosecondOverTheMaximum) {
  TimedEvents events{at(sourceHop("payments", 200, 12 * kSecond, 10 * kMillisecond + 1))};
  EXPECT_EQ(verdictOf(slo(), events),
            R"j({"name":"e","type":"slo","passed":false,"observed":{"successRate":100.0,"latencyP99_ms":10.0,)j"
            R"j("requests":1},"reason":"latency p99 10.000 ms > max 10.000 ms","at_s":20.0})j");
}

TEST(SloChecker, FailsWithoutRequestsAndIsDecidedNoLaterThanTheRunEnd) {
  EXPECT_EQ(verdictOf(slo(), {}, 15 * kSecond),
            R"j({"name":"e","type":"slo","passed":false,"observed":{"successRate":null,"latencyP99_ms":0.0,)j"
            R"j("requests":0},"reason":"no requests","at_s":15.0})j");
}

TEST(SloChecker, WithoutLimitsAnyRequestPasses) {
  scenario::SloExpectation spec = slo();
  spec.min_success_rate_percent.reset();
  spec.max_latency_p99.reset();
  EXPECT_EQ(verdictOf(spec, {at(sourceHop("payments", 500, 12 * kSecond, 5 * kSecond))}),
            R"j({"name":"e","type":"slo","passed":true,"observed":{"successRate":0.0,"latencyP99_ms":5000.0,)j"
            R"j("requests":1},"at_s":20.0})j");
}

}  // namespace
}  // namespace meshproof::chaos
