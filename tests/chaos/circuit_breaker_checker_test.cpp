// circuit-breaker: a breaker open, a UO answer or an ejection in the closed window
// [after, after + within]; opens: true and opens: false, with window boundaries.
#include <gtest/gtest.h>

#include "event_builders.h"
#include "expectation_fixture.h"

namespace meshproof::chaos {
namespace {

using namespace testing;

scenario::CircuitBreakerExpectation breaks(bool opens) {
  scenario::CircuitBreakerExpectation spec;
  spec.service = "payments";
  spec.opens = opens;
  spec.after = 20 * kSecond;
  spec.within = 5 * kSecond;
  return spec;
}

TEST(CircuitBreakerChecker, OpensOnAnOverflowAtTheLastInstantOfTheWindow) {
  TimedEvents events{
      at(sourceHop("payments", 503, 20 * kSecond - 1, 0, kUpstreamOverflow)),  // just before: ignored
      {21 * kSecond, breaker("payments", false)},                              // a close is no signal
      {21 * kSecond, breaker("checkout", true)},                               // another service
      {22 * kSecond, ejection("checkout", "checkout-v1-0", true)},
      at(sourceHop("payments", 503, 25 * kSecond, 0, kUpstreamOverflow)),
  };
  EXPECT_EQ(verdictOf(breaks(true), events),
            R"j({"name":"e","type":"circuit-breaker","passed":true,"observed":{"opened":true,"firstSignal":"UO",)j"
            R"j("firstSignal_s":25.0,"breakerOpens":0,"overflows":1,"ejections":0},"at_s":25.0})j");
}

TEST(CircuitBreakerChecker, OpensOnABreakerEventOrAnEjection) {
  EXPECT_EQ(verdictOf(breaks(true), {{20 * kSecond, breaker("payments", true, "maxConnections")},
                                     {21 * kSecond, ejection("payments", "payments-v1-0", true)}}),
            R"j({"name":"e","type":"circuit-breaker","passed":true,"observed":{"opened":true,)j"
            R"j("firstSignal":"breaker maxConnections","firstSignal_s":20.0,"breakerOpens":1,"overflows":0,)j"
            R"j("ejections":1},"at_s":20.0})j");
  EXPECT_EQ(verdictOf(breaks(true), {{24 * kSecond, ejection("payments", "payments-v1-1", true)}}),
            R"j({"name":"e","type":"circuit-breaker","passed":true,"observed":{"opened":true,)j"
            R"j("firstSignal":"ejection payments-v1-1","firstSignal_s":24.0,"breakerOpens":0,"overflows":0,)j"
            R"j("ejections":1},"at_s":24.0})j");
}

TEST(CircuitBreakerChecker, FailsWhenTheSignalComesOneNanosecondLate) {
  EXPECT_EQ(verdictOf(breaks(true), {{25 * kSecond + 1, breaker("payments", true)}}),
            R"j({"name":"e","type":"circuit-breaker","passed":false,"observed":{"opened":false,"firstSignal":null,)j"
            R"j("firstSignal_s":null,"breakerOpens":0,"overflows":0,"ejections":0},"reason":"no breaker opened, )j"
            R"j(no UO and no ejection for payments in [20.000 s, 25.000 s]","at_s":25.0})j");
}

TEST(CircuitBreakerChecker, MustNotOpen) {
  EXPECT_EQ(verdictOf(breaks(false), {{19 * kSecond, breaker("payments", true)},
                                      at(sourceHop("payments", 503, 26 * kSecond, 0, kUpstreamOverflow))}),
            R"j({"name":"e","type":"circuit-breaker","passed":true,"observed":{"opened":false,"firstSignal":null,)j"
            R"j("firstSignal_s":null,"breakerOpens":0,"overflows":0,"ejections":0},"at_s":25.0})j");
  EXPECT_EQ(verdictOf(breaks(false), {at(sourceHop("payments", 503, 20 * kSecond, 0, kUpstreamOverflow))}),
            R"j({"name":"e","type":"circuit-breaker","passed":false,"observed":{"opened":true,"firstSignal":"UO",)j"
            R"j("firstSignal_s":20.0,"breakerOpens":0,"overflows":1,"ejections":0},"reason":"circuit of payments )j"
            R"j(broke at 20.000 s (UO) in [20.000 s, 25.000 s]","at_s":20.0})j");
}

TEST(CircuitBreakerChecker, WithoutWithinTheWindowRunsToTheEnd) {
  scenario::CircuitBreakerExpectation spec = breaks(true);
  spec.within.reset();
  EXPECT_EQ(verdictOf(spec, {{119 * kSecond, breaker("payments", true)}}),
            R"j({"name":"e","type":"circuit-breaker","passed":true,"observed":{"opened":true,)j"
            R"j("firstSignal":"breaker http1MaxPendingRequests","firstSignal_s":119.0,"breakerOpens":1,)j"
            R"j("overflows":0,"ejections":0},"at_s":119.0})j");
  EXPECT_EQ(verdictOf(spec, {}),
            R"j({"name":"e","type":"circuit-breaker","passed":false,"observed":{"opened":false,"firstSignal":null,)j"
            R"j("firstSignal_s":null,"breakerOpens":0,"overflows":0,"ejections":0},"reason":"no breaker opened, )j"
            R"j(no UO and no ejection for payments in [20.000 s, 120.000 s]","at_s":120.0})j");
}

}  // namespace
}  // namespace meshproof::chaos
