// A small scenario that leans on defaults (network, seed, namespace, service account,
// replicas, stop, expectation names), loaded from YAML and from its JSON twin: both
// must give the same Plan, value for value.
#include <gtest/gtest.h>

#include <string>

#include "mesh/scenario/scenario_loader.h"

namespace meshproof::scenario {
namespace {

const std::string kDataDir = std::string(MESHPROOF_TEST_DATA) + "/scenario/";

TEST(SmallScenario, JsonTwinLoadsEqual) {
  const Plan from_yaml = loadScenarioFile(kDataDir + "small.yaml");
  const Plan from_json = loadScenarioFile(kDataDir + "small.json");
  EXPECT_TRUE(from_yaml == from_json);
  EXPECT_EQ(from_json.instances.size(), 5u);  // guards against two empty plans comparing equal
}

TEST(SmallScenario, JsonTwinDiffersWhenAValueDiffers) {
  Plan changed = loadScenarioFile(kDataDir + "small.json");
  changed.faults[1].spec = ClockSkewFault{std::get<ClockSkewFault>(changed.faults[1].spec).target, 90 * kSecond};
  EXPECT_FALSE(loadScenarioFile(kDataDir + "small.yaml") == changed);
}

class SmallDefaults : public ::testing::Test {
 protected:
  void SetUp() override { plan = loadScenarioFile(kDataDir + "small.yaml"); }
  Plan plan;
};

TEST_F(SmallDefaults, TopLevelAndNetwork) {
  EXPECT_EQ(plan.seed, 1u);
  EXPECT_EQ(plan.description, "");
  EXPECT_EQ(plan.network.zones, (std::vector<Zone>{Zone{"default", Link{100 * kMicrosecond, 10'000'000'000}}}));
  EXPECT_EQ(plan.network.inter_zone, (Link{kMillisecond, 1'000'000'000}));
  EXPECT_EQ(plan.mesh.mesh.trust_domain, "cluster.local");
}

TEST_F(SmallDefaults, ServicesAndInstances) {
  const Service* db = plan.service("db");
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->namespace_, "default");
  EXPECT_EQ(db->service_account, "database");
  EXPECT_EQ(db->versions[0].replicas, 1);
  EXPECT_EQ(db->versions[0].zones, (std::vector<std::string>{"default"}));
  EXPECT_EQ(db->versions[1].behavior.service_time.kind, ServiceTime::Kind::kFixed);
  EXPECT_EQ(db->versions[1].behavior.service_time.fixed, 2 * kMillisecond);
  const Behavior& api = plan.services[0].versions[0].behavior;
  EXPECT_EQ(api.service_time.kind, ServiceTime::Kind::kExponential);
  EXPECT_EQ(api.service_time.mean, 4 * kMillisecond);
  EXPECT_EQ(api.error_rate_percent, 1.5);
  EXPECT_EQ(api.calls, (std::vector<Call>{Call{"db", "/", "GET", true}}));
  EXPECT_EQ(*plan.instance("db-v2-1"), (Instance{"db-v2-1", "db", "v2", "default", "database", "default", 2, 1}));
  EXPECT_EQ(plan.instance("db-v2-2"), nullptr);
}

TEST_F(SmallDefaults, ClosedLoopWorkload) {
  const Workload& batch = plan.workload.at(0);
  EXPECT_EQ(std::get<ClosedLoop>(batch.load), (ClosedLoop{3, 0}));
  EXPECT_EQ(batch.identity,
            (ClientIdentity{ClientIdentity::Kind::kPrincipal, "cluster.local/ns/default/sa/batch"}));
  EXPECT_EQ(batch.start, 5 * kSecond);
  EXPECT_EQ(batch.stop, 30 * kSecond);  // the scenario's duration
}

TEST_F(SmallDefaults, InstanceIndexOverTheVersionWhenAVersionIsGiven) {
  const auto& partition = std::get<PartitionFault>(plan.faults.at(0).spec);
  EXPECT_EQ(partition.side_a.instances, (std::vector<std::string>{"api-v1-0", "api-v1-1"}));
  EXPECT_EQ(partition.side_b.instances, (std::vector<std::string>{"db-v2-1"}));
  const auto& skew = std::get<ClockSkewFault>(plan.faults.at(1).spec);
  EXPECT_EQ(skew.target.instances, (std::vector<std::string>{"db-v2-0"}));  // index 1 over db's instances
  EXPECT_EQ(skew.offset, -90 * kSecond);
}

TEST_F(SmallDefaults, GeneratedExpectationNames) {
  ASSERT_EQ(plan.expectations.size(), 2u);
  EXPECT_EQ(plan.expectations[0].name, "circuit-breaker db");
  EXPECT_EQ(std::get<CircuitBreakerExpectation>(plan.expectations[0].spec),
            (CircuitBreakerExpectation{"db", false, 0, std::nullopt}));
  EXPECT_EQ(plan.expectations[1].name, "authz cluster.local/ns/default/sa/batch -> api");
}

}  // namespace
}  // namespace meshproof::scenario

namespace meshproof::scenario {
namespace {

TEST(WorkloadIdentity, IngressUsesTheMeshTrustDomainAndUnauthenticatedHasNoPrincipal) {
  const Plan plan = loadScenarioText(
      "name: ids\nduration: 10s\nmesh: {trustDomain: example.org}\n"
      "services: [{name: a, versions: [{name: v1, behavior: {serviceTime: {p50: 1ms, p99: 1ms}}}]}]\n"
      "workload:\n"
      "  - {name: through-gateway, target: a, rate: 1, arrival: constant, headers: {X-Trace: on, x-user: bob}}\n"
      "  - {name: outsider, target: a, rate: 2.5, identity: unauthenticated, path: /admin, method: DELETE}\n",
      "ids.yaml");
  ASSERT_EQ(plan.workload.size(), 2u);
  EXPECT_EQ(plan.workload[0].identity, (ClientIdentity{ClientIdentity::Kind::kIngress,
                                                       "example.org/ns/meshproof-system/sa/ingress-gateway"}));
  EXPECT_EQ(std::get<OpenLoop>(plan.workload[0].load), (OpenLoop{1, Arrival::kConstant}));
  EXPECT_EQ(plan.workload[0].headers,
            (std::vector<std::pair<std::string, std::string>>{{"x-trace", "on"}, {"x-user", "bob"}}));
  EXPECT_EQ(plan.workload[1].identity, (ClientIdentity{ClientIdentity::Kind::kUnauthenticated, ""}));
  EXPECT_EQ(std::get<OpenLoop>(plan.workload[1].load), (OpenLoop{2.5, Arrival::kPoisson}));
  EXPECT_EQ(plan.workload[1].path, "/admin");
  EXPECT_EQ(plan.workload[1].method, "DELETE");
  // p99 == p50: a lognormal with no spread.
  const ServiceTime& time = plan.services[0].versions[0].behavior.service_time;
  EXPECT_EQ(time.log_sigma, 0.0);
  EXPECT_DOUBLE_EQ(time.log_mu, 13.815510557964274);  // ln(1e6 ns)
}

}  // namespace
}  // namespace meshproof::scenario
