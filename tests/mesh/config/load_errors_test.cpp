// One test per class of configuration error: each asserts the exact message,
// "<file>:<line>: <field.path>: <message>", so that users can jump to the problem.
#include <gtest/gtest.h>

#include <string>

#include "mesh/config/mesh_config_loader.h"

namespace meshproof::config {
namespace {

// The what() of the ConfigError that loading `text` throws, or "(loaded)".
std::string loadError(const std::string& text, const std::string& file_name = "t.yaml") {
  try {
    (void)loadMeshConfigText(text, file_name);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "(loaded)";
}

TEST(LoadErrors, DurationWithoutUnitAsInScenarioMd) {
  std::string text;
  for (int i = 1; i <= 27; ++i) text += "# line " + std::to_string(i) + "\n";
  text +=
      "destinations:\n"                 // 28
      "  - service: payments\n"         // 29
      "    outlierDetection:\n"         // 30
      "      interval: 10\n";           // 31
  EXPECT_EQ(loadError(text, "checkout.yaml"),
            "checkout.yaml:31: destinations[0].outlierDetection.interval: \"10\" has no unit (use e.g. 10s, 250ms)");
}

TEST(LoadErrors, ErrorCarriesItsParts) {
  try {
    (void)loadMeshConfigText("mesh:\n  mtls: STRCT\n", "m.yaml");
    FAIL() << "loaded";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.file(), "m.yaml");
    EXPECT_EQ(error.line(), 2);
    EXPECT_EQ(error.fieldPath(), "mesh.mtls");
    EXPECT_EQ(error.message(), "\"STRCT\" is not one of STRICT, PERMISSIVE, DISABLE; did you mean 'STRICT'?");
  }
}

TEST(LoadErrors, NegativeDuration) {
  EXPECT_EQ(loadError("traffic:\n  - service: a\n    http:\n      - route: [{subset: v1}]\n        timeout: -1s\n"),
            "t.yaml:5: traffic[0].http[0].timeout: \"-1s\" is negative");
}

TEST(LoadErrors, ProxySettings) {
  EXPECT_EQ(loadError("mesh:\n  proxy:\n    idleTimout: 5m\n"),
            "t.yaml:3: mesh.proxy.idleTimout: unknown field 'idleTimout'; did you mean 'idleTimeout'?");
  EXPECT_EQ(loadError("mesh:\n  proxy: {requestHeadersTimeout: 10}\n"),
            "t.yaml:2: mesh.proxy.requestHeadersTimeout: \"10\" has no unit (use e.g. 10s, 250ms)");
  EXPECT_EQ(loadError("mesh:\n  proxy: {terminationDrainDuration: -5s}\n"),
            "t.yaml:2: mesh.proxy.terminationDrainDuration: \"-5s\" is negative");
  EXPECT_EQ(loadError("mesh:\n  proxy: {accessLog: \"no\"}\n"),
            "t.yaml:2: mesh.proxy.accessLog: expected true or false, got the string \"no\"");
}

TEST(LoadErrors, MisspeltFieldSuggestsTheClosest) {
  EXPECT_EQ(loadError("destinations:\n  - service: payments\n    loadBalancr: RANDOM\n"),
            "t.yaml:3: destinations[0].loadBalancr: unknown field 'loadBalancr'; did you mean 'loadBalancer'?");
}

TEST(LoadErrors, UnknownFieldFarFromAnyListsTheKnownOnes) {
  EXPECT_EQ(loadError("mesh:\n  zzz: 1\n"), "t.yaml:2: mesh.zzz: unknown field 'zzz'; expected one of: trustDomain, mtls, proxy");
}

TEST(LoadErrors, UnknownTopLevelFieldSuggests) {
  EXPECT_EQ(loadError("name: x\ndestination: []\n"),
            "t.yaml:2: destination: unknown field 'destination'; did you mean 'destinations'?");
}

TEST(LoadErrors, OtherScenarioSectionsAreAccepted) {
  EXPECT_EQ(loadError("name: x\ndescription: y\nseed: 1\nduration: 1s\nnetwork: {}\nservices: []\ncanaries: []\n"
                      "workload: []\nfaults: []\nexpect: []\n"),
            "(loaded)");
}

TEST(LoadErrors, WeightsSummingTo90) {
  EXPECT_EQ(loadError("traffic:\n"
                      "  - service: checkout\n"
                      "    http:\n"
                      "      - route:\n"
                      "          - {subset: v1, weight: 80}\n"
                      "          - {subset: v2, weight: 10}\n"),
            "t.yaml:5: traffic[0].http[0].route: weights sum to 90, must be 100");
}

TEST(LoadErrors, RouteWithoutRouteList) {
  EXPECT_EQ(loadError("traffic:\n  - service: checkout\n    http:\n      - timeout: 1s\n"),
            "t.yaml:4: traffic[0].http[0]: required field 'route' is missing");
}

TEST(LoadErrors, UnknownEnumValueListsTheAllowedOnes) {
  EXPECT_EQ(loadError("destinations:\n  - {service: payments, loadBalancer: FASTEST}\n"),
            "t.yaml:2: destinations[0].loadBalancer: \"FASTEST\" is not one of ROUND_ROBIN, LEAST_REQUEST, RANDOM, "
            "RING_HASH, EWMA");
  EXPECT_EQ(loadError("security:\n  authorization:\n    - {name: p, action: CUSTOM}\n"),
            "t.yaml:3: security.authorization[0].action: \"CUSTOM\" is not one of ALLOW, DENY, AUDIT");
}

TEST(LoadErrors, Percentage120) {
  EXPECT_EQ(loadError("traffic:\n"
                      "  - service: a\n"
                      "    http:\n"
                      "      - route: [{subset: v1}]\n"
                      "        fault:\n"
                      "          abort: {httpStatus: 503, percentage: 120}\n"),
            "t.yaml:6: traffic[0].http[0].fault.abort.percentage: 120 is outside 0-100");
}

TEST(LoadErrors, HttpStatusOutside200To599) {
  EXPECT_EQ(loadError("traffic:\n"
                      "  - service: a\n"
                      "    http:\n"
                      "      - route: [{subset: v1}]\n"
                      "        fault: {abort: {httpStatus: 600, percentage: 1}}\n"),
            "t.yaml:5: traffic[0].http[0].fault.abort.httpStatus: 600 is outside 200-599");
}

TEST(LoadErrors, BadRegexNamesTheField) {
  EXPECT_EQ(loadError("traffic:\n"
                      "  - service: a\n"
                      "    http:\n"
                      "      - match:\n"
                      "          - uri: {regex: \"/items/([0-9]+\"}\n"
                      "        route: [{subset: v1}]\n"),
            "t.yaml:5: traffic[0].http[0].match[0].uri.regex: invalid regex \"/items/([0-9]+\": unbalanced ( )");
}

TEST(LoadErrors, RegexRe2RefusesIsAnError) {
  // std::regex accepts lookahead and back references; Envoy's RE2 does not.
  EXPECT_EQ(loadError("traffic:\n"
                      "  - service: a\n"
                      "    http:\n"
                      "      - match:\n"
                      "          - headers: {x-user: {regex: \"(a)\\\\1\"}}\n"
                      "        route: [{subset: v1}]\n"),
            "t.yaml:5: traffic[0].http[0].match[0].headers.x-user.regex: regex \"(a)\\1\": back reference \\1 is "
            "not supported by RE2 (the sidecar's regex engine)");
}

TEST(LoadErrors, UnknownRetryOnToken) {
  EXPECT_EQ(loadError("traffic:\n"
                      "  - service: a\n"
                      "    http:\n"
                      "      - route: [{subset: v1}]\n"
                      "        retries: {attempts: 2, retryOn: \"5xx,gateway-eror\"}\n"),
            "t.yaml:5: traffic[0].http[0].retries.retryOn: unknown condition \"gateway-eror\"; did you mean "
            "'gateway-error'?");
}

TEST(LoadErrors, DuplicateKeyInOneMap) {
  EXPECT_EQ(loadError("destinations:\n"
                      "  - service: payments\n"
                      "    loadBalancer: RANDOM\n"
                      "    loadBalancer: EWMA\n"),
            "t.yaml:4: destinations[0].loadBalancer: duplicate key 'loadBalancer' (first at line 3)");
}

TEST(LoadErrors, DuplicateKeyInJson) {
  EXPECT_EQ(loadError("{\n  \"mesh\": {\"mtls\": \"STRICT\",\n           \"mtls\": \"DISABLE\"}\n}\n", "t.json"),
            "t.json:3: mesh.mtls: duplicate key 'mtls' (first at line 2)");
}

TEST(LoadErrors, StringWhereANumberIsExpected) {
  EXPECT_EQ(loadError("traffic:\n"
                      "  - service: a\n"
                      "    http:\n"
                      "      - route: [{subset: v1}]\n"
                      "        retries: {attempts: \"3\"}\n"),
            "t.yaml:5: traffic[0].http[0].retries.attempts: expected an integer, got the string \"3\"");
  EXPECT_EQ(loadError("destinations:\n  - service: a\n    retryBudget: {percent: twenty}\n"),
            "t.yaml:3: destinations[0].retryBudget.percent: expected a number, got \"twenty\"");
}

TEST(LoadErrors, ListWhereAMapIsExpected) {
  EXPECT_EQ(loadError("mesh: [STRICT]\n"), "t.yaml:1: mesh: expected a map, got a list");
}

TEST(LoadErrors, JsonSyntaxErrorGivesTheLine) {
  EXPECT_EQ(loadError("{\n  \"mesh\": {\n    \"mtls\": \"STRICT\",\n  }\n}\n", "broken.json"),
            "broken.json:4: invalid JSON: syntax error while parsing object key - unexpected '}'; expected string "
            "literal");
}

TEST(LoadErrors, YamlSyntaxErrorGivesTheLine) {
  EXPECT_EQ(loadError("mesh:\n  mtls: [STRICT\ntraffic: []\n"), "t.yaml:3: invalid YAML: end of sequence flow not found");
}

TEST(LoadErrors, UnreadableFile) {
  try {
    (void)loadMeshConfigFile("/nonexistent/meshproof.yaml");
    FAIL() << "loaded";
  } catch (const ConfigError& error) {
    EXPECT_EQ(std::string(error.what()).rfind("/nonexistent/meshproof.yaml:1: cannot read the file", 0), 0u)
        << error.what();
  }
}

TEST(LoadErrors, DuplicateServiceInTraffic) {
  EXPECT_EQ(loadError("traffic:\n"
                      "  - {service: a, http: [{route: [{subset: v1}]}]}\n"
                      "  - {service: a, http: [{route: [{subset: v2}]}]}\n"),
            "t.yaml:3: traffic[1].service: duplicate traffic entry for service \"a\" (first at line 2)");
}

TEST(LoadErrors, DuplicateServiceInDestinations) {
  EXPECT_EQ(loadError("destinations:\n  - service: a\n  - service: b\n  - service: a\n"),
            "t.yaml:4: destinations[2].service: duplicate destinations entry for service \"a\" (first at line 2)");
}

TEST(LoadErrors, StringMatchNeedsExactlyOneKind) {
  EXPECT_EQ(loadError("traffic:\n"
                      "  - service: a\n"
                      "    http:\n"
                      "      - match: [{uri: {exact: /a, prefix: /b}}]\n"
                      "        route: [{subset: v1}]\n"),
            "t.yaml:4: traffic[0].http[0].match[0].uri: give only one of exact, prefix, regex, not both 'exact' and "
            "'prefix'");
  EXPECT_EQ(loadError("traffic:\n"
                      "  - service: a\n"
                      "    http:\n"
                      "      - match: [{uri: {present: true}}]\n"
                      "        route: [{subset: v1}]\n"),
            "t.yaml:4: traffic[0].http[0].match[0].uri.present: unknown field 'present'; expected one of: exact, "
            "prefix, regex");
}

TEST(LoadErrors, RotateBeforeMustBeShorterThanTtl) {
  EXPECT_EQ(loadError("security:\n  certificates: {ttl: 12h, rotateBefore: 24h}\n"),
            "t.yaml:2: security.certificates.rotateBefore: 24h must be shorter than ttl (12h)");
}

TEST(LoadErrors, ConsistentHashConflictsWithAnotherBalancer) {
  EXPECT_EQ(loadError("destinations:\n"
                      "  - service: a\n"
                      "    loadBalancer: RANDOM\n"
                      "    consistentHash: {httpHeaderName: x-user}\n"),
            "t.yaml:4: destinations[0].consistentHash: needs loadBalancer RING_HASH (or no loadBalancer), not RANDOM");
}

TEST(LoadErrors, FaultPercentageIsRequired) {
  EXPECT_EQ(loadError("traffic:\n"
                      "  - service: a\n"
                      "    http:\n"
                      "      - route: [{subset: v1}]\n"
                      "        fault: {delay: {fixedDelay: 1s}}\n"),
            "t.yaml:5: traffic[0].http[0].fault.delay: required field 'percentage' is missing");
}

TEST(LoadErrors, WildcardInTheMiddleOfAPath) {
  EXPECT_EQ(loadError("security:\n"
                      "  authorization:\n"
                      "    - name: p\n"
                      "      rules: [{to: [{operation: {paths: [\"/a*b\"]}}]}]\n"),
            "t.yaml:4: security.authorization[0].rules[0].to[0].operation.paths[0]: \"/a*b\": '*' is only allowed "
            "once, at the start or the end");
}

TEST(LoadErrors, EmptyValueIsReportedAtItsKey) {
  EXPECT_EQ(loadError("mesh:\n  trustDomain:\n  mtls: STRICT\n"),
            "t.yaml:2: mesh.trustDomain: expected a string, got nothing");
}

TEST(LoadErrors, EmptyFileIsNotAMap) {
  EXPECT_EQ(loadError(""), "t.yaml:1: (top level): expected a map, got nothing");
}

}  // namespace
}  // namespace meshproof::config
