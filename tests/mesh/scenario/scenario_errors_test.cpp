// One test per validation of the scenario loader: each asserts the exact message,
// "<file>:<line>: <field.path>: <message>". Most tests append sections to kBase, a
// valid 13-line scenario, so their lines start at 14.
#include <gtest/gtest.h>

#include <string>

#include "mesh/scenario/scenario_loader.h"

namespace meshproof::scenario {
namespace {

const std::string kTop =
    "name: t\n"                                           // 1
    "duration: 60s\n"                                     // 2
    "network:\n"                                          // 3
    "  zones: [{name: zone-a}, {name: zone-b}]\n";        // 4
const std::string kServices =
    "services:\n"                                         // 5
    "  - name: web\n"                                     // 6
    "    versions:\n"                                     // 7
    "      - {name: v1, replicas: 2, behavior: {serviceTime: {fixed: 1ms}, calls: [{service: api}]}}\n"  // 8
    "  - name: api\n"                                     // 9
    "    namespace: shop\n"                               // 10
    "    versions:\n"                                     // 11
    "      - {name: v1, behavior: {serviceTime: {fixed: 1ms}}}\n"                     // 12
    "      - {name: v2, zones: [zone-b], behavior: {serviceTime: {fixed: 1ms}}}\n";  // 13
const std::string kBase = kTop + kServices;

// The what() of the ConfigError that loading `text` throws, or "(loaded)".
std::string loadError(const std::string& text, const std::string& file_name = "s.yaml") {
  try {
    (void)loadScenarioText(text, file_name);
  } catch (const config::ConfigError& error) {
    return error.what();
  }
  return "(loaded)";
}

// kBase with `from` replaced by `to` (which must occur).
std::string baseWith(const std::string& from, const std::string& to) {
  std::string text = kBase;
  const auto at = text.find(from);
  if (at == std::string::npos) return "(no '" + from + "' in kBase)";
  return text.replace(at, from.size(), to);
}

TEST(ScenarioErrors, BaseLoads) { EXPECT_EQ(loadError(kBase), "(loaded)"); }

// ---- top level ----------------------------------------------------------------------

TEST(ScenarioErrors, NameIsRequired) {
  EXPECT_EQ(loadError("duration: 1s\nservices: []\n"), "s.yaml:1: (top level): required field 'name' is missing");
}

TEST(ScenarioErrors, DurationNeedsAUnit) {
  EXPECT_EQ(loadError(baseWith("duration: 60s", "duration: 60")),
            "s.yaml:2: duration: \"60\" has no unit (use e.g. 10s, 250ms)");
}

TEST(ScenarioErrors, SeedMustNotBeNegative) {
  EXPECT_EQ(loadError(kBase + "seed: -1\n"), "s.yaml:14: seed: -1 must be at least 0");
}

TEST(ScenarioErrors, MisspeltTopLevelField) {
  EXPECT_EQ(loadError(kBase + "expects: []\n"), "s.yaml:14: expects: unknown field 'expects'; did you mean 'expect'?");
}

TEST(ScenarioErrors, ServicesMustNotBeEmpty) {
  EXPECT_EQ(loadError(kTop + "services: []\n"), "s.yaml:5: services: must not be empty");
}

// ---- network and services -------------------------------------------------------------

TEST(ScenarioErrors, DuplicateZone) {
  EXPECT_EQ(loadError(baseWith("{name: zone-b}", "{name: zone-a}")),
            "s.yaml:4: network.zones[1].name: duplicate zone \"zone-a\" (first at line 4)");
}

TEST(ScenarioErrors, VersionZoneMustExist) {
  EXPECT_EQ(loadError(baseWith("zones: [zone-b]", "zones: [zone-c]")),
            "s.yaml:13: services[1].versions[1].zones[0]: unknown zone \"zone-c\"; did you mean 'zone-a'?");
}

TEST(ScenarioErrors, DuplicateService) {
  EXPECT_EQ(loadError(baseWith("- name: api", "- name: web")),
            "s.yaml:9: services[1].name: duplicate service \"web\" (first at line 6)");
}

TEST(ScenarioErrors, DuplicateVersion) {
  EXPECT_EQ(loadError(baseWith("{name: v2, zones", "{name: v1, zones")),
            "s.yaml:13: services[1].versions[1].name: duplicate version \"v1\" of api (first at line 12)");
}

TEST(ScenarioErrors, DuplicateInstanceNames) {
  EXPECT_EQ(loadError(kTop +
                      "services:\n"                                                                  // 5
                      "  - {name: a-b, versions: [{name: v1, behavior: {serviceTime: {fixed: 1ms}}}]}\n"    // 6
                      "  - {name: a, versions: [{name: b-v1, behavior: {serviceTime: {fixed: 1ms}}}]}\n"),  // 7
            "s.yaml:7: services[1].versions[0].name: instance name \"a-b-v1-0\" is already taken by service a-b "
            "version v1; rename the service or the version");
}

TEST(ScenarioErrors, InvalidName) {
  EXPECT_EQ(loadError(baseWith("- name: web", "- name: web/app")),
            "s.yaml:6: services[0].name: \"web/app\" is not a valid name: use letters, digits, '-', '_' and '.', "
            "starting with a letter or digit");
}

TEST(ScenarioErrors, ZeroReplicas) {
  EXPECT_EQ(loadError(baseWith("replicas: 2", "replicas: 0")),
            "s.yaml:8: services[0].versions[0].replicas: 0 is outside 1-1000");
}

TEST(ScenarioErrors, ServiceTimeWithBothFixedAndP50) {
  EXPECT_EQ(loadError(baseWith("serviceTime: {fixed: 1ms}, calls", "serviceTime: {fixed: 1ms, p50: 2ms}, calls")),
            "s.yaml:8: services[0].versions[0].behavior.serviceTime: give exactly one of {p50, p99}, {fixed} or "
            "{mean}");
}

TEST(ScenarioErrors, P99BelowP50) {
  EXPECT_EQ(loadError(baseWith("serviceTime: {fixed: 1ms}, calls", "serviceTime: {p50: 5ms, p99: 4ms}, calls")),
            "s.yaml:8: services[0].versions[0].behavior.serviceTime.p99: 4ms is below p50 (5ms)");
}

TEST(ScenarioErrors, ErrorRateIsAPercentage) {
  EXPECT_EQ(loadError(baseWith("calls: [{service: api}]", "errorRate: 101")),
            "s.yaml:8: services[0].versions[0].behavior.errorRate: 101 is outside 0-100");
}

TEST(ScenarioErrors, CallToUnknownService) {
  EXPECT_EQ(loadError(baseWith("{service: api}", "{service: nope}")),
            "s.yaml:8: services[0].versions[0].behavior.calls[0].service: unknown service \"nope\" (known: web, api)");
}

TEST(ScenarioErrors, CallsFormACycle) {
  EXPECT_EQ(loadError(baseWith("{name: v2, zones: [zone-b], behavior: {serviceTime: {fixed: 1ms}}}",
                               "{name: v2, zones: [zone-b], behavior: {serviceTime: {fixed: 1ms}, calls: [{service: "
                               "web, path: /x}]}}")),
            "s.yaml:13: services[1].versions[1].behavior.calls[0].service: calls form a cycle: web -> api -> web (a "
            "request would recurse forever)");
}

TEST(ScenarioErrors, ServiceCallingItself) {
  EXPECT_EQ(loadError(baseWith("{service: api}", "{service: web}")),
            "s.yaml:8: services[0].versions[0].behavior.calls[0].service: calls form a cycle: web -> web (a request "
            "would recurse forever)");
}

// ---- mesh sections against the services -------------------------------------------------

TEST(ScenarioErrors, TrafficForUnknownService) {
  EXPECT_EQ(loadError(kBase + "traffic:\n  - service: apii\n    http: [{route: [{subset: v1}]}]\n"),
            "s.yaml:15: traffic[0].service: unknown service \"apii\"; did you mean 'api'?");
}

TEST(ScenarioErrors, UnknownSubsetInRoute) {
  EXPECT_EQ(loadError(kBase +
                      "traffic:\n"                                                       // 14
                      "  - service: api\n"                                               // 15
                      "    http:\n"                                                      // 16
                      "      - route: [{subset: v1, weight: 90}, {subset: v3, weight: 10}]\n"),  // 17
            "s.yaml:17: traffic[0].http[0].route[1].subset: api has no version \"v3\"; did you mean 'v1'?");
}

TEST(ScenarioErrors, UnknownMirrorSubset) {
  EXPECT_EQ(loadError(kBase +
                      "traffic:\n"                             // 14
                      "  - service: api\n"                     // 15
                      "    http:\n"                            // 16
                      "      - route: [{subset: v1}]\n"        // 17
                      "        mirror: {subset: canary}\n"),   // 18
            "s.yaml:18: traffic[0].http[0].mirror.subset: api has no version \"canary\" (known: v1, v2)");
}

TEST(ScenarioErrors, DestinationForUnknownService) {
  EXPECT_EQ(loadError(kBase + "destinations:\n  - {service: wbe}\n"),
            "s.yaml:15: destinations[0].service: unknown service \"wbe\"; did you mean 'web'?");
}

TEST(ScenarioErrors, LocalityFailoverToUnknownZone) {
  EXPECT_EQ(loadError(kBase + "destinations:\n  - service: api\n"
                              "    localityLbSetting: {failover: [{from: zone-a, to: zone-z}]}\n"),
            "s.yaml:16: destinations[0].localityLbSetting.failover[0].to: unknown zone \"zone-z\"; did you mean "
            "'zone-a'?");
}

TEST(ScenarioErrors, AuthorizationNamespaceMustMatchTheService) {
  EXPECT_EQ(loadError(kBase + "security:\n  authorization:\n    - {name: p, service: api, namespace: default}\n"),
            "s.yaml:16: security.authorization[0].namespace: api is in namespace \"shop\", not \"default\"");
}

TEST(ScenarioErrors, AuthorizationForUnknownNamespace) {
  EXPECT_EQ(loadError(kBase + "security:\n  authorization:\n    - {name: p, namespace: shp}\n"),
            "s.yaml:16: security.authorization[0].namespace: no service is in namespace \"shp\"; did you mean "
            "'shop'?");
}

TEST(ScenarioErrors, PeerAuthenticationForUnknownService) {
  EXPECT_EQ(loadError(kBase + "security:\n  peerAuthentication:\n    - {service: db, mode: STRICT}\n"),
            "s.yaml:16: security.peerAuthentication[0].service: unknown service \"db\" (known: web, api)");
}

// ---- canaries -------------------------------------------------------------------------

const std::string kCanaryHead = "canaries:\n  - {service: api, stable: v1, ";  // line 15

TEST(ScenarioErrors, CanaryVersionMustExist) {
  EXPECT_EQ(loadError(kBase + kCanaryHead +
                      "canary: v3, stepWeight: 10, maxWeight: 50, interval: 10s, threshold: 2, "
                      "metrics: {successRate: {min: 99}}}\n"),
            "s.yaml:15: canaries[0].canary: api has no version \"v3\"; did you mean 'v1'?");
}

TEST(ScenarioErrors, CanaryMustDifferFromStable) {
  EXPECT_EQ(loadError(kBase + kCanaryHead +
                      "canary: v1, stepWeight: 10, maxWeight: 50, interval: 10s, threshold: 2, "
                      "metrics: {successRate: {min: 99}}}\n"),
            "s.yaml:15: canaries[0].canary: must differ from stable (\"v1\")");
}

TEST(ScenarioErrors, CanaryMaxWeightBelowStep) {
  EXPECT_EQ(loadError(kBase + kCanaryHead +
                      "canary: v2, stepWeight: 20, maxWeight: 10, interval: 10s, threshold: 2, "
                      "metrics: {latencyP99: {max: 1s}}}\n"),
            "s.yaml:15: canaries[0].maxWeight: 10 is below stepWeight (20)");
}

TEST(ScenarioErrors, CanaryNeedsAMetric) {
  EXPECT_EQ(loadError(kBase + kCanaryHead +
                      "canary: v2, stepWeight: 10, maxWeight: 50, interval: 10s, threshold: 2, metrics: {}}\n"),
            "s.yaml:15: canaries[0].metrics: give successRate, latencyP99 or both");
}

// ---- workload -------------------------------------------------------------------------

TEST(ScenarioErrors, WorkloadTargetMustExist) {
  EXPECT_EQ(loadError(kBase + "workload:\n  - {name: w, target: frontend, rate: 10}\n"),
            "s.yaml:15: workload[0].target: unknown service \"frontend\" (known: web, api)");
}

TEST(ScenarioErrors, ClosedLoopAndRateBothGiven) {
  EXPECT_EQ(loadError(kBase + "workload:\n  - {name: w, target: web, rate: 10, closedLoop: {clients: 2}}\n"),
            "s.yaml:15: workload[0].closedLoop: give either rate (open loop) or closedLoop, not both");
}

TEST(ScenarioErrors, NeitherRateNorClosedLoop) {
  EXPECT_EQ(loadError(kBase + "workload:\n  - {name: w, target: web}\n"),
            "s.yaml:15: workload[0]: give either rate (open loop) or closedLoop");
}

TEST(ScenarioErrors, ArrivalWithClosedLoop) {
  EXPECT_EQ(loadError(kBase + "workload:\n  - {name: w, target: web, arrival: poisson, closedLoop: {clients: 2}}\n"),
            "s.yaml:15: workload[0].arrival: applies to an open loop (rate) only, not to closedLoop");
}

TEST(ScenarioErrors, UnknownArrival) {
  EXPECT_EQ(loadError(kBase + "workload:\n  - {name: w, target: web, rate: 5, arrival: constnat}\n"),
            "s.yaml:15: workload[0].arrival: \"constnat\" is not one of poisson, constant; did you mean 'constant'?");
}

TEST(ScenarioErrors, IdentityIsNotAPrincipal) {
  EXPECT_EQ(loadError(kBase + "workload:\n  - {name: w, target: web, rate: 5, identity: cluster.local/sa/x}\n"),
            "s.yaml:15: workload[0].identity: \"cluster.local/sa/x\" is not ingress, unauthenticated or a principal "
            "(<trustDomain>/ns/<namespace>/sa/<serviceAccount>)");
}

TEST(ScenarioErrors, WorkloadStopAfterTheEnd) {
  EXPECT_EQ(loadError(kBase + "workload:\n  - {name: w, target: web, rate: 5, stop: 61s}\n"),
            "s.yaml:15: workload[0].stop: 61s is after the end of the run (duration: 1m)");
}

TEST(ScenarioErrors, DuplicateWorkloadName) {
  EXPECT_EQ(loadError(kBase + "workload:\n  - {name: w, target: web, rate: 5}\n  - {name: w, target: api, rate: 5}\n"),
            "s.yaml:16: workload[1].name: duplicate workload name \"w\" (first at line 15)");
}

// ---- faults ---------------------------------------------------------------------------

TEST(ScenarioErrors, FaultInstanceBeyondTheService) {
  EXPECT_EQ(loadError(kBase + "faults:\n  - {at: 1s, type: crash, target: {service: api, instance: 2}}\n"),
            "s.yaml:15: faults[0].target.instance: there is no instance 2: api has 2 instances (0-1)");
}

TEST(ScenarioErrors, FaultInstanceBeyondTheVersion) {
  EXPECT_EQ(loadError(kBase + "faults:\n  - {at: 1s, type: crash, target: {service: api, version: v2, instance: 1}}\n"),
            "s.yaml:15: faults[0].target.instance: there is no instance 1: api version v2 has 1 instance (0)");
}

TEST(ScenarioErrors, FaultZoneWithoutInstances) {
  EXPECT_EQ(loadError(baseWith("{name: zone-b}]", "{name: zone-b}, {name: zone-c}]") +
                      "faults:\n  - {at: 1s, type: loss, target: {zone: zone-c}, percentage: 5}\n"),
            "s.yaml:15: faults[0].target.zone: no instance runs in zone \"zone-c\"");
}

TEST(ScenarioErrors, FaultTargetUnknownVersion) {
  EXPECT_EQ(loadError(kBase + "faults:\n  - {at: 1s, type: cpu, target: {service: web, version: v2}, factor: 0.5}\n"),
            "s.yaml:15: faults[0].target.version: web has no version \"v2\"; did you mean 'v1'?");
}

TEST(ScenarioErrors, FaultTargetZoneAndService) {
  EXPECT_EQ(loadError(kBase + "faults:\n  - {at: 1s, type: crash, target: {zone: zone-a, service: web}}\n"),
            "s.yaml:15: faults[0].target: give either zone or service, not both");
}

TEST(ScenarioErrors, UnknownFaultType) {
  EXPECT_EQ(loadError(kBase + "faults:\n  - {at: 1s, type: clockskew, target: {service: web}, offset: 1h}\n"),
            "s.yaml:15: faults[0].type: \"clockskew\" is not one of latency, abort, crash, partition, loss, "
            "bandwidth, cpu, clock-skew, control-plane-down, revoke-ca; did you mean 'clock-skew'?");
}

TEST(ScenarioErrors, FieldOfAnotherFaultType) {
  EXPECT_EQ(loadError(kBase + "faults:\n  - {at: 1s, type: latency, target: {service: web}, delay: 1s, "
                              "percentage: 5}\n"),
            "s.yaml:15: faults[0].percentage: unknown field 'percentage'; expected one of: at, duration, type, "
            "target, delay, jitter");
}

TEST(ScenarioErrors, FaultAfterTheEnd) {
  EXPECT_EQ(loadError(kBase + "faults:\n  - {at: 60s, type: revoke-ca}\n"),
            "s.yaml:15: faults[0].at: 60s is not before the end of the run (duration: 1m)");
}

TEST(ScenarioErrors, CrashTakesRestartAfterNotDuration) {
  EXPECT_EQ(loadError(kBase + "faults:\n  - {at: 1s, duration: 5s, type: crash, target: {service: web}}\n"),
            "s.yaml:15: faults[0].duration: a crashed instance stays down until restartAfter; give restartAfter "
            "instead");
}

TEST(ScenarioErrors, PartitionNeedsTwoSides) {
  EXPECT_EQ(loadError(kBase + "faults:\n  - {at: 1s, type: partition, between: [{zone: zone-a}]}\n"),
            "s.yaml:15: faults[0].between: give exactly two targets, the sides of the partition (got 1)");
}

TEST(ScenarioErrors, PartitionSidesOverlap) {
  EXPECT_EQ(loadError(kBase + "faults:\n  - {at: 1s, type: partition, between: [{zone: zone-b}, {service: api}]}\n"),
            "s.yaml:15: faults[0].between: instance api-v2-0 is on both sides");
}

TEST(ScenarioErrors, ClockSkewOfZero) {
  EXPECT_EQ(loadError(kBase + "faults:\n  - {at: 1s, type: clock-skew, target: {service: web}, offset: -0s}\n"),
            "s.yaml:15: faults[0].offset: must not be 0s");
}

TEST(ScenarioErrors, CpuFactorMustBePositive) {
  EXPECT_EQ(loadError(kBase + "faults:\n  - {at: 1s, type: cpu, target: {service: web}, factor: 0}\n"),
            "s.yaml:15: faults[0].factor: 0 must be more than 0");
}

// ---- expectations ---------------------------------------------------------------------

TEST(ScenarioErrors, UnknownExpectationTypeSuggests) {
  EXPECT_EQ(loadError(kBase + "expect:\n  - {type: circuitbreaker, service: web}\n"),
            "s.yaml:15: expect[0].type: \"circuitbreaker\" is not one of slo, circuit-breaker, ejection, recovers, "
            "canary, authz, mtls, no-lost-requests, config, certificate; did you mean 'circuit-breaker'?");
}

TEST(ScenarioErrors, MisspeltExpectationField) {
  EXPECT_EQ(loadError(kBase + "expect:\n  - {type: slo, service: web, sucessRate: {min: 99}}\n"),
            "s.yaml:15: expect[0].sucessRate: unknown field 'sucessRate'; did you mean 'successRate'?");
}

TEST(ScenarioErrors, SloNeedsATarget) {
  EXPECT_EQ(loadError(kBase + "expect:\n  - {type: slo, service: web}\n"),
            "s.yaml:15: expect[0]: give successRate, latencyP99 or both");
}

TEST(ScenarioErrors, ExpectationForUnknownService) {
  EXPECT_EQ(loadError(kBase + "expect:\n  - {type: recovers, service: db, within: 5s, after: 1s}\n"),
            "s.yaml:15: expect[0].service: unknown service \"db\" (known: web, api)");
}

TEST(ScenarioErrors, CanaryExpectationWithoutCanary) {
  EXPECT_EQ(loadError(kBase + "expect:\n  - {type: canary, service: api, outcome: promoted}\n"),
            "s.yaml:15: expect[0].service: no canary of api is defined in canaries");
}

TEST(ScenarioErrors, CanaryOutcomeMisspelt) {
  EXPECT_EQ(loadError(kBase + kCanaryHead +
                      "canary: v2, stepWeight: 10, maxWeight: 50, interval: 10s, threshold: 2, "
                      "metrics: {successRate: {min: 99}}}\n"
                      "expect:\n  - {type: canary, service: api, outcome: rolledback}\n"),
            "s.yaml:17: expect[0].outcome: \"rolledback\" is not one of promoted, rolled-back; did you mean "
            "'rolled-back'?");
}

TEST(ScenarioErrors, EjectionOfMissingInstance) {
  EXPECT_EQ(loadError(kBase + "expect:\n  - {type: ejection, service: web, instance: 7}\n"),
            "s.yaml:15: expect[0].instance: there is no instance 7: web has 2 instances (0-1)");
}

TEST(ScenarioErrors, AuthzFromBothServiceAndPrincipal) {
  EXPECT_EQ(loadError(kBase + "expect:\n  - {type: authz, from: {service: web, principal: a/ns/b/sa/c}, "
                              "to: {service: api}, allowed: true}\n"),
            "s.yaml:15: expect[0].from: give either service or principal");
}

TEST(ScenarioErrors, DuplicateGeneratedExpectationName) {
  EXPECT_EQ(loadError(kBase + "expect:\n  - {type: slo, service: web, successRate: {min: 99}}\n"
                              "  - {type: slo, service: web, latencyP99: {max: 1s}}\n"),
            "s.yaml:16: expect[1]: duplicate expectation name \"slo web\" (first at line 15); give each a distinct "
            "name");
}

TEST(ScenarioErrors, ErrorCarriesItsParts) {
  try {
    (void)loadScenarioText(kBase + "faults:\n  - {at: 1s, type: crash, target: {service: api, instance: 2}}\n",
                           "parts.yaml");
    FAIL() << "loaded";
  } catch (const config::ConfigError& error) {
    EXPECT_EQ(error.file(), "parts.yaml");
    EXPECT_EQ(error.line(), 15);
    EXPECT_EQ(error.fieldPath(), "faults[0].target.instance");
  }
}

TEST(ScenarioErrors, JsonErrorsNameTheLine) {
  EXPECT_EQ(loadError("{\"name\": \"j\",\n \"duration\": \"1s\",\n \"services\": [\n"
                      "  {\"name\": \"a\", \"versions\": [{\"name\": \"v1\", \"replicas\": \"2\", "
                      "\"behavior\": {\"serviceTime\": {\"fixed\": \"1ms\"}}}]}]}\n",
                      "s.json"),
            "s.json:4: services[0].versions[0].replicas: expected an integer, got the string \"2\"");
}

}  // namespace
}  // namespace meshproof::scenario
