// The evaluator: one result per expectation in plan order, with names and types;
// no-lost-requests.
#include <gtest/gtest.h>

#include "event_builders.h"
#include "expectation_fixture.h"

namespace meshproof::chaos {
namespace {

using namespace testing;

TEST(NoLostRequestsChecker, PassesWhenEveryRequestWasAnswered) {
  EXPECT_EQ(verdictOf(scenario::NoLostRequestsExpectation{},
                      {{kSecond, clientRequest(200, kSecond, kMillisecond)},
                       {2 * kSecond, clientRequest(503, 2 * kSecond, kMillisecond)}}),
            R"j({"name":"e","type":"no-lost-requests","passed":true,"observed":{"lost":0,"total":2}})j");
}

TEST(NoLostRequestsChecker, FailsAtTheFirstLostRequest) {
  EXPECT_EQ(verdictOf(scenario::NoLostRequestsExpectation{},
                      {{kSecond, clientRequest(200, kSecond, kMillisecond)},
                       {90 * kSecond, clientRequest(0, 90 * kSecond, kSecond, true)},
                       {95 * kSecond, clientRequest(0, 95 * kSecond, kSecond, true)}}),
            R"j({"name":"e","type":"no-lost-requests","passed":false,"observed":{"lost":2,"total":3},)j"
            R"j("reason":"2 of 3 requests lost (first at 90.000 s)","at_s":90.0})j");
}

TEST(ExpectationEvaluator, OneResultPerExpectationInPlanOrder) {
  scenario::SloExpectation slo;
  slo.service = "frontend";
  slo.window_to = kRunEnd;
  const auto plan = testPlan({{"no loss", scenario::NoLostRequestsExpectation{}},
                              {"frontend healthy", slo},
                              {"all mtls", scenario::MtlsExpectation{}}});
  const auto results = evaluate(plan, {at(sourceHop("frontend", 200, kSecond, kMillisecond))});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].name, "no loss");
  EXPECT_EQ(results[0].type, "no-lost-requests");
  EXPECT_TRUE(results[0].verdict.passed);
  EXPECT_EQ(results[1].name, "frontend healthy");
  EXPECT_EQ(results[1].type, "slo");
  EXPECT_TRUE(results[1].verdict.passed);
  EXPECT_EQ(results[2].type, "mtls");
  EXPECT_TRUE(results[2].verdict.passed);
}

}  // namespace
}  // namespace meshproof::chaos
