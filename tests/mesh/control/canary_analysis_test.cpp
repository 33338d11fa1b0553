// Flagger's analysis loop, step by step: the first step routes stepWeight without
// judging, passing checks advance to maxWeight then promote, failed checks count
// (the weight stays) and `threshold` of them roll back, an interval without traffic
// holds; and the routes the controller rewrites.
#include "mesh/control/canary_analysis.h"

#include <gtest/gtest.h>

#include "mesh/control/canary_routing.h"

namespace meshproof::control {
namespace {

scenario::Canary checkoutCanary() {
  scenario::Canary c;
  c.service = "checkout";
  c.stable = "v1";
  c.canary = "v2";
  c.step_weight_percent = 20;
  c.max_weight_percent = 40;
  c.interval = 10 * kSecond;
  c.threshold = 2;
  c.min_success_rate_percent = 99;
  c.max_latency_p99 = 500 * kMillisecond;
  return c;
}

IntervalMetrics healthy() { return IntervalMetrics{100, 100, 40 * kMillisecond}; }

TEST(CanaryAnalysis, AdvancesToMaxWeightThenPromotes) {
  CanaryAnalysis a(checkoutCanary(), 0, 0);
  EXPECT_EQ(a.startEvent().verdict, "start");
  EXPECT_EQ(a.nextCheck(), 10 * kSecond);
  std::vector<std::pair<std::string, int>> steps;
  while (!a.finished()) {
    const CanaryEvent e = a.check(a.nextCheck(), healthy());
    steps.emplace_back(e.verdict, e.weight);
  }
  EXPECT_EQ(steps, (std::vector<std::pair<std::string, int>>{{"advance", 20}, {"advance", 40}, {"promoted", 100}}));
  EXPECT_EQ(a.nextCheck(), kNever);
}

TEST(CanaryAnalysis, FailedChecksKeepTheWeightAndRollBackAtTheThreshold) {
  CanaryAnalysis a(checkoutCanary(), 20, 0);
  const CanaryEvent slow = a.check(10 * kSecond, IntervalMetrics{50, 100, 612 * kMillisecond});
  EXPECT_EQ(slow.verdict, "failed-check");
  EXPECT_EQ(slow.weight, 20);
  EXPECT_EQ(slow.failed_checks, 1);
  EXPECT_EQ(slow.reason, "p99 612.000 ms > 500.000 ms");
  EXPECT_EQ(slow.latency_p99, 612 * kMillisecond);
  const CanaryEvent idle = a.check(20 * kSecond, std::nullopt);
  EXPECT_EQ(idle.verdict, "hold");
  EXPECT_EQ(idle.reason, "no traffic to judge");
  EXPECT_EQ(idle.success_rate, std::nullopt);
  EXPECT_EQ(idle.failed_checks, 1);
  const CanaryEvent failing = a.check(30 * kSecond, IntervalMetrics{50, 91.2346, 40 * kMillisecond});
  EXPECT_EQ(failing.verdict, "rolled-back");
  EXPECT_EQ(failing.weight, 0);
  EXPECT_EQ(failing.reason, "success rate 91.235% < 99.000%");
  EXPECT_EQ(failing.success_rate, 91.235);
  EXPECT_EQ(failing.iteration, 3);
  EXPECT_TRUE(a.finished());
}

TEST(CanaryAnalysis, ResumesOneIntervalAfterAnOutage) {
  CanaryAnalysis a(checkoutCanary(), 0, 0);
  a.resume(37 * kSecond);
  EXPECT_EQ(a.nextCheck(), 47 * kSecond);
}

TEST(CanaryRouting, RewritesTheManagedRoutesOnly) {
  config::MeshConfig mesh;
  config::VirtualService vs;
  vs.service = "checkout";
  config::HttpRoute beta;
  beta.name = "beta";
  beta.route = {{"v2", 100}};
  config::HttpRoute main;
  main.name = "main";
  main.route = {{"v1", 90}, {"v2", 10}};
  main.timeout = 2 * kSecond;
  vs.http = {beta, main};
  mesh.traffic = {vs};
  EXPECT_EQ(initialCanaryWeight(mesh, checkoutCanary()), 10);
  setCanaryWeight(mesh, checkoutCanary(), 30);
  EXPECT_EQ(mesh.traffic[0].http[0].route, (std::vector<config::RouteDestination>{{"v2", 100}}));
  EXPECT_EQ(mesh.traffic[0].http[1].route, (std::vector<config::RouteDestination>{{"v1", 70}, {"v2", 30}}));
  EXPECT_EQ(mesh.traffic[0].http[1].timeout, 2 * kSecond);

  config::MeshConfig bare;  // no VirtualService: one catch-all split is added
  EXPECT_EQ(initialCanaryWeight(bare, checkoutCanary()), 0);
  setCanaryWeight(bare, checkoutCanary(), 20);
  ASSERT_EQ(bare.traffic.size(), 1u);
  EXPECT_TRUE(bare.traffic[0].http[0].match.empty());
  EXPECT_EQ(bare.traffic[0].http[0].route, (std::vector<config::RouteDestination>{{"v1", 80}, {"v2", 20}}));
}

}  // namespace
}  // namespace meshproof::control
