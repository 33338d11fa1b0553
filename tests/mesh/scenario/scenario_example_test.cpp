// The example of SCENARIO.md (tests/data/scenario/scenario_example.yaml, verbatim)
// must load as written; checks every fault type and expectation type it shows.
#include <gtest/gtest.h>

#include <string>

#include "mesh/scenario/scenario_loader.h"

namespace meshproof::scenario {
namespace {

class ScenarioExample : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    plan_ = new Plan(loadScenarioFile(std::string(MESHPROOF_TEST_DATA) + "/scenario/scenario_example.yaml"));
  }
  static void TearDownTestSuite() {
    delete plan_;
    plan_ = nullptr;
  }
  static const Plan& plan() { return *plan_; }
  static const Fault& fault(std::size_t index) { return plan().faults.at(index); }
  static Plan* plan_;
};
Plan* ScenarioExample::plan_ = nullptr;

TEST_F(ScenarioExample, VersionsWithoutZonesUseTheFirstZone) {
  std::vector<std::string> described;
  for (const auto& instance : plan().instances) described.push_back(instance.name + "@" + instance.zone);
  EXPECT_EQ(described, (std::vector<std::string>{"frontend-v1-0@zone-a", "frontend-v1-1@zone-b",
                                                 "checkout-v1-0@zone-a", "checkout-v1-1@zone-a",
                                                 "checkout-v2-0@zone-a", "payments-v1-0@zone-a",
                                                 "payments-v1-1@zone-a", "payments-v1-2@zone-a"}));
}

TEST_F(ScenarioExample, WorkloadHeadersAndIdentity) {
  const Workload& shoppers = plan().workload.at(0);
  EXPECT_EQ(shoppers.headers, (std::vector<std::pair<std::string, std::string>>{{"x-user", "tester"}}));
  EXPECT_EQ(shoppers.identity.kind, ClientIdentity::Kind::kIngress);
  EXPECT_EQ(shoppers.path, "/");
  EXPECT_EQ(shoppers.method, "GET");
}

TEST_F(ScenarioExample, EveryFaultType) {
  ASSERT_EQ(plan().faults.size(), 10u);
  std::vector<std::string> types;
  for (const auto& fault : plan().faults) types.push_back(faultTypeName(fault.spec));
  EXPECT_EQ(types, (std::vector<std::string>{"latency", "abort", "crash", "partition", "loss", "bandwidth", "cpu",
                                             "clock-skew", "control-plane-down", "revoke-ca"}));

  const auto& crash = std::get<CrashFault>(fault(2).spec);
  EXPECT_EQ(crash.target.instances, (std::vector<std::string>{"payments-v1-1"}));
  EXPECT_EQ(crash.restart_after, 10 * kSecond);
  EXPECT_EQ(fault(2).duration, std::nullopt);

  const auto& partition = std::get<PartitionFault>(fault(3).spec);
  EXPECT_EQ(partition.side_a.spec.zone, "zone-a");
  EXPECT_EQ(partition.side_a.instances,
            (std::vector<std::string>{"frontend-v1-0", "checkout-v1-0", "checkout-v1-1", "checkout-v2-0",
                                      "payments-v1-0", "payments-v1-1", "payments-v1-2"}));
  EXPECT_EQ(partition.side_b, (Target{TargetSpec{"zone-b", "", std::nullopt, std::nullopt}, {"frontend-v1-1"}}));

  const auto& loss = std::get<LossFault>(fault(4).spec);
  EXPECT_EQ(loss.target.instances, (std::vector<std::string>{"checkout-v1-0", "checkout-v1-1", "checkout-v2-0"}));
  EXPECT_EQ(loss.percentage, 5);

  EXPECT_EQ(std::get<BandwidthFault>(fault(5).spec).rate_bps, 1'000'000);
  const auto& cpu = std::get<CpuFault>(fault(6).spec);
  EXPECT_EQ(cpu.target.instances, (std::vector<std::string>{"checkout-v2-0"}));
  EXPECT_EQ(cpu.factor, 0.25);

  const auto& skew = std::get<ClockSkewFault>(fault(7).spec);
  EXPECT_EQ(skew.target.instances, (std::vector<std::string>{"payments-v1-2"}));
  EXPECT_EQ(skew.offset, 25 * kHour);

  EXPECT_EQ(fault(8).at, 60 * kSecond);
  EXPECT_EQ(fault(8).duration, 30 * kSecond);
  EXPECT_EQ(fault(9).at, 80 * kSecond);
  EXPECT_EQ(fault(9).duration, std::nullopt);
}

TEST_F(ScenarioExample, EveryExpectationType) {
  ASSERT_EQ(plan().expectations.size(), 8u);
  std::vector<std::string> names;
  for (const auto& expectation : plan().expectations) names.push_back(expectation.name);
  EXPECT_EQ(names, (std::vector<std::string>{"frontend healthy", "circuit-breaker payments", "ejection payments-v1-0",
                                             "recovers payments", "canary checkout",
                                             "authz frontend -> payments", "mtls", "no-lost-requests"}));
  EXPECT_EQ(std::get<CircuitBreakerExpectation>(plan().expectations[1].spec),
            (CircuitBreakerExpectation{"payments", true, 20 * kSecond, 5 * kSecond}));
  EXPECT_EQ(std::get<RecoversExpectation>(plan().expectations[3].spec),
            (RecoversExpectation{"payments", 50 * kSecond, 60 * kSecond}));
  EXPECT_EQ(std::get<CanaryExpectation>(plan().expectations[4].spec),
            (CanaryExpectation{"checkout", CanaryExpectation::Outcome::kRolledBack, 120 * kSecond}));
  EXPECT_EQ(std::get<MtlsExpectation>(plan().expectations[6].spec).min_coverage_percent, 100);
}

}  // namespace
}  // namespace meshproof::scenario
