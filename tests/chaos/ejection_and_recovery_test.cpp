// ejection (one instance ejected in [after, after + within]) and recovers (ejected
// hosts back, breakers closed, recent requests healthy by after + within).
#include <gtest/gtest.h>

#include "event_builders.h"
#include "expectation_fixture.h"

namespace meshproof::chaos {
namespace {

using namespace testing;

scenario::EjectionExpectation ejectionOf(std::string instance) {
  scenario::EjectionExpectation spec;
  spec.service = "payments";
  spec.instance = std::move(instance);
  spec.after = 20 * kSecond;
  spec.within = 15 * kSecond;
  return spec;
}

TEST(EjectionChecker, PassesOnAnEjectionOfThatInstanceAtTheWindowEnd) {
  TimedEvents events{
      {19 * kSecond, ejection("payments", "payments-v1-0", true)},  // before the window
      {30 * kSecond, ejection("payments", "payments-v1-1", true)},  // another instance
      {31 * kSecond, ejection("payments", "payments-v1-0", false)},  // a return
      {35 * kSecond, ejection("payments", "payments-v1-0", true)},
  };
  EXPECT_EQ(verdictOf(ejectionOf("payments-v1-0"), events),
            R"j({"name":"e","type":"ejection","passed":true,"observed":{"instance":"payments-v1-0","ejected":true,)j"
            R"j("ejected_s":35.0,"reason":"consecutive5xx","ejections":1},"at_s":35.0})j");
}

TEST(EjectionChecker, FailsWhenTheEjectionIsLate) {
  EXPECT_EQ(verdictOf(ejectionOf("payments-v1-0"), {{35 * kSecond + 1, ejection("payments", "payments-v1-0", true)}}),
            R"j({"name":"e","type":"ejection","passed":false,"observed":{"instance":"payments-v1-0","ejected":false,)j"
            R"j("ejected_s":null,"reason":null,"ejections":0},"reason":"payments-v1-0 was not ejected in )j"
            R"j([20.000 s, 35.000 s]","at_s":35.0})j");
}

scenario::RecoversExpectation recovers() {
  scenario::RecoversExpectation spec;
  spec.service = "payments";
  spec.after = 50 * kSecond;
  spec.within = 60 * kSecond;
  return spec;
}

TEST(RecoversChecker, PassesWhenHostsAreBackBreakersClosedAndRequestsSucceed) {
  TimedEvents events{
      {60 * kSecond, ejection("payments", "payments-v1-0", true)},
      {55 * kSecond, breaker("payments", true)},
      at(sourceHop("payments", 503, 104 * kSecond, kMillisecond)),  // before the last 5 s
      {90 * kSecond, ejection("payments", "payments-v1-0", false)},
      {95 * kSecond, breaker("payments", false)},
      at(sourceHop("payments", 200, 105 * kSecond, kMillisecond)),  // first instant of the last 5 s
      at(sourceHop("payments", 200, 110 * kSecond, kMillisecond)),  // the deadline itself
      {110 * kSecond + 1, ejection("payments", "payments-v1-1", true)},  // after the deadline
  };
  EXPECT_EQ(verdictOf(recovers(), events),
            R"j({"name":"e","type":"recovers","passed":true,"observed":{"ejectedInstances":[],"ejections":1,)j"
            R"j("breakerOpen":false,"successRate":100.0,"requests":2},"at_s":110.0})j");
}

TEST(RecoversChecker, NothingHappenedCountsAsRecovered) {
  EXPECT_EQ(verdictOf(recovers(), {}),
            R"j({"name":"e","type":"recovers","passed":true,"observed":{"ejectedInstances":[],"ejections":0,)j"
            R"j("breakerOpen":false,"successRate":null,"requests":0},"at_s":110.0})j");
}

TEST(RecoversChecker, EachCallersViewMustRecover) {
  // Two callers eject the same host; only one returns it: not recovered yet.
  auto seenBy = [](EjectionEvent e, std::string observer) {
    e.observer = std::move(observer);
    return e;
  };
  const std::vector<std::pair<TimeNs, Event>> events = {
      {50 * kSecond, seenBy(ejection("payments", "payments-v1-0", true), "checkout-v1-0")},
      {51 * kSecond, seenBy(ejection("payments", "payments-v1-0", true), "checkout-v1-1")},
      {80 * kSecond, seenBy(ejection("payments", "payments-v1-0", false), "checkout-v1-0")},
  };
  scenario::RecoversExpectation spec;
  spec.service = "payments";
  spec.after = 50 * kSecond;
  spec.within = 40 * kSecond;
  auto checker = makeRecoversChecker(spec);
  for (const auto& [t, e] : events) checker->observe(t, e);
  const Verdict v = checker->finish(120 * kSecond);
  EXPECT_FALSE(v.passed);
  EXPECT_EQ(v.reason, "payments-v1-0 still ejected at 90.000 s");
}

TEST(RecoversChecker, FailsOnAHostStillOutAnOpenBreakerAndFailingRequests) {
  TimedEvents events{
      {60 * kSecond, ejection("payments", "payments-v1-2", true)},
      {70 * kSecond, ejection("payments", "payments-v1-0", true)},
      {80 * kSecond, ejection("payments", "payments-v1-2", false)},
      {110 * kSecond + 1, ejection("payments", "payments-v1-0", false)},  // back too late
      {100 * kSecond, breaker("payments", true, "maxConnections")},
      at(sourceHop("payments", 200, 106 * kSecond, kMillisecond)),
      at(sourceHop("payments", 503, 107 * kSecond, kMillisecond)),
      at(sourceHop("checkout", 503, 107 * kSecond, kMillisecond)),
  };
  EXPECT_EQ(verdictOf(recovers(), events),
            R"j({"name":"e","type":"recovers","passed":false,"observed":{"ejectedInstances":["payments-v1-0"],)j"
            R"j("ejections":2,"breakerOpen":true,"successRate":50.0,"requests":2},"reason":"payments-v1-0 still )j"
            R"j(ejected; breaker open (maxConnections); success rate 50.000% < 99.000% over [105.000 s, 110.000 s] )j"
            R"j(at 110.000 s","at_s":110.0})j");
}

TEST(RecoversChecker, TheHealthWindowStartsNoEarlierThanAfter) {
  scenario::RecoversExpectation spec = recovers();
  spec.within = 2 * kSecond;  // deadline 52 s; window [50 s, 52 s]
  TimedEvents events{at(sourceHop("payments", 503, 50 * kSecond - 1, kMillisecond)),
                     at(sourceHop("payments", 503, 50 * kSecond, kMillisecond))};
  EXPECT_EQ(verdictOf(spec, events),
            R"j({"name":"e","type":"recovers","passed":false,"observed":{"ejectedInstances":[],"ejections":0,)j"
            R"j("breakerOpen":false,"successRate":0.0,"requests":1},"reason":"success rate 0.000% < 99.000% over )j"
            R"j([50.000 s, 52.000 s] at 52.000 s","at_s":52.0})j");
}

}  // namespace
}  // namespace meshproof::chaos
