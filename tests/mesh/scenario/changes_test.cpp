// The `changes:` section and the config / certificate expectations: a change is read
// like the sections it carries (references checked, weights, RE2), unless
// `validate: false`, which checks only its format so that the sidecars get to NACK
// it; expectations name a change or a service that exists.
#include <gtest/gtest.h>

#include <string>

#include "mesh/scenario/scenario_loader.h"

namespace meshproof::scenario {
namespace {

const std::string kBase =
    "name: t\n"                                                                // 1
    "duration: 60s\n"                                                          // 2
    "services:\n"                                                              // 3
    "  - name: web\n"                                                          // 4
    "    versions:\n"                                                          // 5
    "      - {name: v1, behavior: {serviceTime: {fixed: 1ms}}}\n"              // 6
    "      - {name: v2, behavior: {serviceTime: {fixed: 1ms}}}\n";             // 7

std::string loadError(const std::string& text) {
  try {
    (void)loadScenarioText(text, "c.yaml");
  } catch (const config::ConfigError& error) {
    return error.what();
  }
  return "(loaded)";
}

TEST(Changes, ReadsResourcesInOrderWithTheirTimes) {
  const Plan plan = loadScenarioText(kBase +
                                         "changes:\n"                                                    // 8
                                         "  - name: shift\n"                                             // 9
                                         "    at: 20s\n"                                                 // 10
                                         "    traffic: [{service: web, http: [{route: [{subset: v2}]}]}]\n"  // 11
                                         "  - name: lock\n"                                              // 12
                                         "    at: 30s\n"                                                 // 13
                                         "    security:\n"                                               // 14
                                         "      authorization: [{name: deny-all, service: web, action: DENY, "
                                         "rules: [{}]}]\n"                                               // 15
                                         "expect:\n"                                                     // 16
                                         "  - {type: config, change: shift, outcome: applied, within: 1s}\n"
                                         "  - {type: certificate, service: web, outcome: rotated}\n",
                                     "c.yaml");
  ASSERT_EQ(plan.changes.size(), 2u);
  EXPECT_EQ(plan.changes[0].name, "shift");
  EXPECT_EQ(plan.changes[0].at, 20 * kSecond);
  EXPECT_TRUE(plan.changes[0].validate);
  ASSERT_EQ(plan.changes[0].change.traffic.size(), 1u);
  EXPECT_EQ(plan.changes[0].change.traffic[0].http[0].route[0].subset, "v2");
  ASSERT_EQ(plan.changes[1].change.authorization.size(), 1u);
  EXPECT_EQ(plan.changes[1].change.authorization[0].action, config::AuthzAction::kDeny);
  ASSERT_EQ(plan.expectations.size(), 2u);
  EXPECT_EQ(plan.expectations[0].name, "config shift");
  const auto& config = std::get<ConfigExpectation>(plan.expectations[0].spec);
  EXPECT_EQ(config.change_at, 20 * kSecond);
  EXPECT_EQ(config.within, kSecond);
  EXPECT_EQ(plan.expectations[1].name, "certificate web");

  config::MeshConfig merged = plan.mesh;
  for (const auto& c : plan.changes) config::applyChange(merged, c.change);
  EXPECT_EQ(merged.traffic.size(), 1u);
  EXPECT_EQ(merged.security.authorization.size(), 1u);
}

TEST(Changes, AreValidatedLikeTheSectionsTheyCarry) {
  EXPECT_EQ(loadError(kBase + "changes:\n  - name: x\n    at: 5s\n"
                              "    traffic: [{service: web, http: [{route: [{subset: v3}]}]}]\n"),
            "c.yaml:11: changes[0].traffic[0].http[0].route[0].subset: web has no version \"v3\"; did you mean "
            "'v1'?");
  EXPECT_EQ(loadError(kBase + "changes:\n  - name: x\n    at: 5s\n"
                              "    traffic: [{service: web, http: [{route: [{subset: v1, weight: 50}, {subset: v2, "
                              "weight: 40}]}]}]\n"),
            "c.yaml:11: changes[0].traffic[0].http[0].route: weights sum to 90, must be 100");
  EXPECT_EQ(loadError(kBase + "changes:\n  - name: x\n    at: 5s\n    traffik: []\n"),
            "c.yaml:11: changes[0].traffik: unknown field 'traffik'; did you mean 'traffic'?");
  EXPECT_EQ(loadError(kBase + "changes:\n  - name: x\n    at: 5s\n"),
            "c.yaml:9: changes[0]: give traffic, destinations or security: the resources the change applies");
  EXPECT_EQ(loadError(kBase + "changes:\n  - name: x\n    at: 90s\n    traffic: []\n"),
            "c.yaml:10: changes[0].at: 90s is not before the end of the run (duration: 1m)");
  EXPECT_EQ(loadError(kBase + "changes:\n  - name: x\n    at: 5s\n    security: {certificates: {ttl: 1h}}\n"),
            "c.yaml:11: changes[0].security.certificates: unknown field 'certificates'; expected one of: "
            "peerAuthentication, authorization");
  EXPECT_EQ(loadError(kBase + "changes:\n  - {name: x, at: 5s, traffic: []}\n  - {name: x, at: 6s, traffic: []}\n"),
            "c.yaml:10: changes[1].name: duplicate change name \"x\" (first at line 9)");
}

TEST(Changes, ValidateFalseLeavesTheSemanticChecksToTheSidecars) {
  const Plan plan = loadScenarioText(
      kBase + "changes:\n  - name: bad\n    at: 5s\n    validate: false\n"
              "    traffic: [{service: web, http: [{match: [{uri: {regex: \"/a(?=b)\"}}], route: [{subset: v1, "
              "weight: 50}]}]}]\n",
      "c.yaml");
  ASSERT_EQ(plan.changes.size(), 1u);
  EXPECT_FALSE(plan.changes[0].validate);
  EXPECT_EQ(plan.changes[0].change.traffic[0].http[0].route[0].weight, 50);
  // Misspelt fields are still errors.
  EXPECT_EQ(loadError(kBase + "changes:\n  - name: bad\n    at: 5s\n    validate: false\n"
                              "    traffic: [{service: web, htp: []}]\n"),
            "c.yaml:12: changes[0].traffic[0].htp: unknown field 'htp'; did you mean 'http'?");
}

TEST(Changes, ExpectationsNameAChangeOrAServiceThatExists) {
  EXPECT_EQ(loadError(kBase + "changes:\n  - {name: shift, at: 5s, traffic: []}\n"
                              "expect:\n  - {type: config, change: shfit, outcome: applied}\n"),
            "c.yaml:11: expect[0].change: no change named \"shfit\" in changes; did you mean 'shift'?");
  EXPECT_EQ(loadError(kBase + "changes:\n  - {name: shift, at: 5s, traffic: []}\n"
                              "expect:\n  - {type: config, change: shift, outcome: maybe}\n"),
            "c.yaml:11: expect[0].outcome: \"maybe\" is not one of applied, rejected");
  EXPECT_EQ(loadError(kBase + "expect:\n  - {type: certificate, service: web, outcome: revoked}\n"),
            "c.yaml:9: expect[0].outcome: \"revoked\" is not one of rotated, expired");
}

}  // namespace
}  // namespace meshproof::scenario
