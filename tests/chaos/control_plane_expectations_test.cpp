// The control-plane expectations on hand-built event streams, with exact report
// entries: canary (outcome and its time), config (every sidecar that is up applied,
// or rejected, the version first carrying a change, in time), certificate (every
// instance rotated, or one expired).
#include <gtest/gtest.h>

#include "event_builders.h"
#include "expectation_fixture.h"

namespace meshproof::chaos {
namespace {

using namespace testing;

CanaryEvent step(int iteration, int weight, std::string verdict, int failed = 0, std::string reason = "") {
  return CanaryEvent{"checkout", "v1", "v2", iteration, weight, std::move(verdict), 99.5, 20 * kMillisecond, failed,
                     std::move(reason)};
}

scenario::CanaryExpectation canaryOutcome(scenario::CanaryExpectation::Outcome outcome,
                                          std::optional<DurationNs> within = std::nullopt) {
  scenario::CanaryExpectation spec;
  spec.service = "checkout";
  spec.outcome = outcome;
  spec.within = within;
  return spec;
}

const TimedEvents kPromotion = {{0, step(0, 0, "start")},
                                {10 * kSecond, step(1, 10, "advance")},
                                {20 * kSecond, step(2, 20, "advance")},
                                {30 * kSecond, step(3, 100, "promoted")}};

TEST(CanaryChecker, PassesOnTheExpectedOutcomeInTime) {
  EXPECT_EQ(verdictOf(canaryOutcome(scenario::CanaryExpectation::Outcome::kPromoted, 60 * kSecond), kPromotion),
            R"j({"name":"e","type":"canary","passed":true,"observed":{"outcome":"promoted","at_s":30.0,)j"
            R"j("weight":100,"iterations":3,"failedChecks":0},"at_s":30.0})j");
}

TEST(CanaryChecker, FailsOnTheOtherOutcomeTooLateOrStillRunning) {
  EXPECT_EQ(verdictOf(canaryOutcome(scenario::CanaryExpectation::Outcome::kRolledBack), kPromotion),
            R"j({"name":"e","type":"canary","passed":false,"observed":{"outcome":"promoted","at_s":30.0,)j"
            R"j("weight":100,"iterations":3,"failedChecks":0},"reason":"promoted at 30.000 s, expected rolled-back",)j"
            R"j("at_s":30.0})j");
  EXPECT_EQ(verdictOf(canaryOutcome(scenario::CanaryExpectation::Outcome::kPromoted, 25 * kSecond), kPromotion),
            R"j({"name":"e","type":"canary","passed":false,"observed":{"outcome":"promoted","at_s":30.0,)j"
            R"j("weight":100,"iterations":3,"failedChecks":0},"reason":"promoted at 30.000 s, later than 25.000 s",)j"
            R"j("at_s":30.0})j");
  const TimedEvents running(kPromotion.begin(), kPromotion.begin() + 3);
  EXPECT_EQ(verdictOf(canaryOutcome(scenario::CanaryExpectation::Outcome::kPromoted), running),
            R"j({"name":"e","type":"canary","passed":false,"observed":{"outcome":"running","at_s":null,)j"
            R"j("weight":20,"iterations":2,"failedChecks":0},)j"
            R"j("reason":"still analysing at the end of the run (weight 20%), expected promoted","at_s":120.0})j");
  // Events after the end of the analysis do not change it.
  TimedEvents rolled = {{10 * kSecond, step(1, 10, "failed-check", 1, "success rate 90.000% < 99.000%")},
                        {20 * kSecond, step(2, 0, "rolled-back", 2, "success rate 80.000% < 99.000%")},
                        {30 * kSecond, step(3, 100, "promoted")}};
  EXPECT_EQ(verdictOf(canaryOutcome(scenario::CanaryExpectation::Outcome::kPromoted), rolled),
            R"j({"name":"e","type":"canary","passed":false,"observed":{"outcome":"rolled-back","at_s":20.0,)j"
            R"j("weight":0,"iterations":2,"failedChecks":2},"reason":"rolled-back at 20.000 s, expected promoted )j"
            R"j((success rate 80.000% < 99.000%)","at_s":20.0})j");
}

ConfigEvent published(std::uint64_t version, std::vector<std::string> changes) {
  return ConfigEvent{"control-plane", version, "published", "change", "", std::move(changes)};
}
ConfigEvent answer(std::string node, std::uint64_t version, bool applied, std::string reason = "") {
  return ConfigEvent{std::move(node), version, applied ? "applied" : "rejected", "", std::move(reason), {}};
}

scenario::ConfigExpectation configOutcome(scenario::ConfigExpectation::Outcome outcome) {
  scenario::ConfigExpectation spec;
  spec.change = "bad-regex";
  spec.change_at = 20 * kSecond;
  spec.outcome = outcome;
  spec.within = 2 * kSecond;
  return spec;
}

const TimedEvents kNackedPush = {
    {0, answer("frontend-v1-0", 1, true)},
    {0, answer("payments-v1-0", 1, true)},
    {0, answer("payments-v1-1", 1, true)},
    {15 * kSecond, EndpointEvent{"payments-v1-1", "payments", "v1", "default", "unhealthy", "stream reset"}},
    {20'100'000'000, published(2, {"bad-regex"})},
    {20'101'000'000, answer("frontend-v1-0", 2, false, "regex: lookahead")},
    {20'102'000'000, answer("payments-v1-0", 2, false, "regex: lookahead")},
};

TEST(ConfigChecker, EverySidecarUpRejectedTheBadPush) {
  EXPECT_EQ(verdictOf(configOutcome(scenario::ConfigExpectation::Outcome::kRejected), kNackedPush),
            R"j({"name":"e","type":"config","passed":true,"observed":{"version":2,"sidecars":2,"applied":0,)j"
            R"j("rejected":2,"slowest_s":0.102,"reason":"regex: lookahead"},"at_s":20.102})j");
  EXPECT_EQ(verdictOf(configOutcome(scenario::ConfigExpectation::Outcome::kApplied), kNackedPush),
            R"j({"name":"e","type":"config","passed":false,"observed":{"version":2,"sidecars":2,"applied":0,)j"
            R"j("rejected":2,"slowest_s":0.102,"reason":"regex: lookahead"},)j"
            R"j("reason":"frontend-v1-0 rejected version 2 (regex: lookahead), expected applied","at_s":20.101})j");
}

TEST(ConfigChecker, ASidecarThatNeverAnsweredFailsAtTheDeadline) {
  TimedEvents late = kNackedPush;
  late.pop_back();
  late.push_back({25 * kSecond, answer("payments-v1-0", 3, false, "regex: lookahead")});
  EXPECT_EQ(verdictOf(configOutcome(scenario::ConfigExpectation::Outcome::kRejected), late),
            R"j({"name":"e","type":"config","passed":false,"observed":{"version":2,"sidecars":2,"applied":0,)j"
            R"j("rejected":1,"slowest_s":0.101,"reason":"regex: lookahead"},"reason":"1 of 2 sidecars )j"
            R"j((payments-v1-0) had not answered version 2 by 22.000 s","at_s":22.0})j");
}

scenario::CertificateExpectation certificateOutcome(scenario::CertificateExpectation::Outcome outcome) {
  scenario::CertificateExpectation spec;
  spec.service = "payments";
  spec.outcome = outcome;
  spec.after = 10 * kSecond;
  spec.within = 30 * kSecond;
  return spec;
}

CertEvent cert(std::string instance, std::string state) {
  return CertEvent{std::move(instance), std::move(state), "spiffe://cluster.local/ns/shop/sa/payments", "1", 0, "", ""};
}

TEST(CertificateChecker, RotatedNeedsEveryInstanceAndNoExpiry) {
  auto plan = testPlan({scenario::Expectation{"e", certificateOutcome(scenario::CertificateExpectation::Outcome::kRotated)}});
  for (const char* name : {"payments-v1-0", "payments-v1-1"})
    plan.instances.push_back(scenario::Instance{name, "payments", "v1", "shop", "payments", "default", 0, 0});
  const TimedEvents both = {{15 * kSecond, cert("payments-v1-0", "rotated")},
                            {16 * kSecond, cert("payments-v1-1", "rotated")}};
  EXPECT_EQ(expectationJson(evaluate(plan, both).at(0)).dump(),
            R"j({"name":"e","type":"certificate","passed":true,"observed":{"instances":2,"rotated":2,"expired":0,)j"
            R"j("denied":0,"firstExpiry_s":null},"at_s":16.0})j");
  const TimedEvents one = {{15 * kSecond, cert("payments-v1-0", "rotated")},
                           {16 * kSecond, cert("payments-v1-1", "denied")},
                           {31 * kSecond, cert("payments-v1-1", "expired")}};
  EXPECT_EQ(expectationJson(evaluate(plan, one).at(0)).dump(),
            R"j({"name":"e","type":"certificate","passed":false,"observed":{"instances":2,"rotated":1,"expired":1,)j"
            R"j("denied":1,"firstExpiry_s":31.0},"reason":"payments-v1-1's certificate expired at 31.000 s",)j"
            R"j("at_s":31.0})j");
  plan.expectations[0].spec = certificateOutcome(scenario::CertificateExpectation::Outcome::kExpired);
  EXPECT_EQ(expectationJson(evaluate(plan, one).at(0)).dump(),
            R"j({"name":"e","type":"certificate","passed":true,"observed":{"instances":2,"rotated":1,"expired":1,)j"
            R"j("denied":1,"firstExpiry_s":31.0},"at_s":31.0})j");
  EXPECT_EQ(expectationJson(evaluate(plan, both).at(0)).dump(),
            R"j({"name":"e","type":"certificate","passed":false,"observed":{"instances":2,"rotated":2,"expired":0,)j"
            R"j("denied":0,"firstExpiry_s":null},"reason":"no certificate of payments expired in [10.000 s, )j"
            R"j(40.000 s]","at_s":40.0})j");
}

}  // namespace
}  // namespace meshproof::chaos
