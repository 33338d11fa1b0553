// Loads scenarios/flagship.yaml, the repository's flagship scenario, and checks the
// values the drivers depend on exactly: instance names and zones, the lognormal fit
// of service times, resolved fault targets and the expectations' names.
#include <gtest/gtest.h>

#include <string>

#include "mesh/scenario/scenario_loader.h"

namespace meshproof::scenario {
namespace {

class Flagship : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    plan_ = new Plan(loadScenarioFile(std::string(MESHPROOF_SOURCE_DIR) + "/scenarios/flagship.yaml"));
  }
  static void TearDownTestSuite() {
    delete plan_;
    plan_ = nullptr;
  }
  static const Plan& plan() { return *plan_; }
  static Plan* plan_;
};
Plan* Flagship::plan_ = nullptr;

TEST_F(Flagship, TopLevel) {
  EXPECT_EQ(plan().name, "checkout-canary-under-latency");
  EXPECT_EQ(plan().description, "v2 of checkout must roll back when payments slows down");
  EXPECT_EQ(plan().seed, 42u);
  EXPECT_EQ(plan().duration, 120 * kSecond);
  EXPECT_EQ(plan().mesh.mesh.trust_domain, "cluster.local");
  EXPECT_EQ(plan().mesh.traffic.size(), 2u);
  EXPECT_EQ(plan().mesh.security.authorization.size(), 4u);
}

TEST_F(Flagship, Network) {
  ASSERT_EQ(plan().network.zones.size(), 2u);
  EXPECT_EQ(plan().network.zones[0], (Zone{"zone-a", Link{200 * kMicrosecond, 10'000'000'000}}));
  EXPECT_EQ(plan().network.zones[1], (Zone{"zone-b", Link{200 * kMicrosecond, 10'000'000'000}}));
  EXPECT_EQ(plan().network.inter_zone, (Link{2 * kMillisecond, 1'000'000'000}));
}

TEST_F(Flagship, InstancesAreNamedAndSpreadRoundRobin) {
  std::vector<std::string> described;
  for (const auto& instance : plan().instances)
    described.push_back(instance.name + "@" + instance.zone + " #" + std::to_string(instance.index_in_service) + "/" +
                        std::to_string(instance.index_in_version));
  EXPECT_EQ(described, (std::vector<std::string>{
                           "frontend-v1-0@zone-a #0/0", "frontend-v1-1@zone-b #1/1", "checkout-v1-0@zone-a #0/0",
                           "checkout-v1-1@zone-b #1/1", "checkout-v2-0@zone-b #2/0", "payments-v1-0@zone-a #0/0",
                           "payments-v1-1@zone-b #1/1", "payments-v1-2@zone-a #2/2"}));
  const Instance* canary = plan().instance("checkout-v2-0");
  ASSERT_NE(canary, nullptr);
  EXPECT_EQ(*canary, (Instance{"checkout-v2-0", "checkout", "v2", "shop", "checkout", "zone-b", 2, 0}));
}

TEST_F(Flagship, ServicesAndBehavior) {
  ASSERT_EQ(plan().services.size(), 3u);
  const Service& frontend = plan().services[0];
  EXPECT_EQ(frontend.name, "frontend");
  EXPECT_EQ(frontend.namespace_, "shop");
  EXPECT_EQ(frontend.service_account, "frontend");  // defaults to the name
  ASSERT_EQ(frontend.versions.size(), 1u);
  const Behavior& behavior = frontend.versions[0].behavior;
  EXPECT_EQ(behavior.concurrency, 64);
  EXPECT_EQ(behavior.error_rate_percent, 0);
  EXPECT_EQ(behavior.calls, (std::vector<Call>{Call{"checkout", "/checkout", "POST", false}}));
  EXPECT_EQ(plan().services[2].versions[0].behavior.concurrency, std::nullopt);
}

TEST_F(Flagship, LogNormalFitOfServiceTimes) {
  const ServiceTime& frontend = plan().services[0].versions[0].behavior.service_time;
  EXPECT_EQ(frontend.kind, ServiceTime::Kind::kLogNormal);
  EXPECT_EQ(frontend.p50, 5 * kMillisecond);
  EXPECT_EQ(frontend.p99, 20 * kMillisecond);
  EXPECT_DOUBLE_EQ(frontend.log_mu, 15.424948470398375);     // ln(5e6 ns)
  EXPECT_DOUBLE_EQ(frontend.log_sigma, 0.5959101717284924);  // ln(4) / 2.3263...
  const ServiceTime& checkout = plan().services[1].versions[1].behavior.service_time;
  EXPECT_DOUBLE_EQ(checkout.log_mu, 15.89495209964411);      // ln(8e6 ns)
  EXPECT_DOUBLE_EQ(checkout.log_sigma, 0.5681677511482597);  // ln(30/8) / 2.3263...
}

TEST_F(Flagship, Canary) {
  ASSERT_EQ(plan().canaries.size(), 1u);
  EXPECT_EQ(plan().canaries[0], (Canary{"checkout", "v1", "v2", 10, 50, 10 * kSecond, 2, 99.0, 300 * kMillisecond}));
}

TEST_F(Flagship, Workload) {
  ASSERT_EQ(plan().workload.size(), 1u);
  const Workload& shoppers = plan().workload[0];
  EXPECT_EQ(shoppers.name, "shoppers");
  EXPECT_EQ(shoppers.target, "frontend");
  EXPECT_EQ(std::get<OpenLoop>(shoppers.load), (OpenLoop{200, Arrival::kPoisson}));
  EXPECT_EQ(shoppers.identity,
            (ClientIdentity{ClientIdentity::Kind::kIngress, "cluster.local/ns/meshproof-system/sa/ingress-gateway"}));
  EXPECT_EQ(shoppers.start, 0);
  EXPECT_EQ(shoppers.stop, 120 * kSecond);
}

TEST_F(Flagship, FaultTargetsAreResolved) {
  ASSERT_EQ(plan().faults.size(), 2u);
  const Fault& latency = plan().faults[0];
  EXPECT_EQ(latency.at, 20 * kSecond);
  EXPECT_EQ(latency.duration, 30 * kSecond);
  const auto& slow = std::get<LatencyFault>(latency.spec);
  EXPECT_EQ(slow.target.spec, (TargetSpec{"", "payments", "v1", std::nullopt}));
  EXPECT_EQ(slow.target.instances, (std::vector<std::string>{"payments-v1-0", "payments-v1-1", "payments-v1-2"}));
  EXPECT_EQ(slow.delay, 300 * kMillisecond);
  EXPECT_EQ(slow.jitter, 50 * kMillisecond);

  const auto& abort = std::get<AbortFault>(plan().faults[1].spec);
  EXPECT_EQ(abort.target, (Target{TargetSpec{"", "payments", std::nullopt, 0}, {"payments-v1-0"}}));
  EXPECT_EQ(abort.http_status, 503);
  EXPECT_EQ(abort.percentage, 50);
}

TEST_F(Flagship, Expectations) {
  std::vector<std::string> names;
  for (const auto& expectation : plan().expectations)
    names.push_back(expectationTypeName(expectation.spec) + ": " + expectation.name);
  EXPECT_EQ(names, (std::vector<std::string>{"slo: frontend healthy", "ejection: ejection payments-v1-0",
                                             "recovers: recovers payments", "canary: canary checkout",
                                             "authz: authz frontend -> payments", "mtls: mtls",
                                             "no-lost-requests: no-lost-requests"}));
  EXPECT_EQ(std::get<SloExpectation>(plan().expectations[0].spec),
            (SloExpectation{"frontend", 99.0, 2 * kSecond, 0, 120 * kSecond}));
  EXPECT_EQ(std::get<EjectionExpectation>(plan().expectations[1].spec),
            (EjectionExpectation{"payments", 0, "payments-v1-0", 20 * kSecond, 15 * kSecond}));
  EXPECT_EQ(std::get<CanaryExpectation>(plan().expectations[3].spec),
            (CanaryExpectation{"checkout", CanaryExpectation::Outcome::kRolledBack, 60 * kSecond}));
  EXPECT_EQ(std::get<AuthzExpectation>(plan().expectations[4].spec),
            (AuthzExpectation{"frontend", "", "payments", false}));
}

}  // namespace
}  // namespace meshproof::scenario
