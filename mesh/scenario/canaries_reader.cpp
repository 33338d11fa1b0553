// The `canaries:` section: Flagger-like progressive delivery of one version of a
// service against its stable version (read and validated here; the control plane
// runs the analysis). At most one canary per service.
#include <map>

#include "mesh/scenario/reader_helpers.h"
#include "mesh/scenario/section_readers.h"

namespace meshproof::scenario {
namespace {

Canary readCanary(const NodeReader& node, const Plan& plan) {
  node.expectOnly({"service", "stable", "canary", "stepWeight", "maxWeight", "interval", "threshold", "metrics"});
  Canary canary;
  const Service& service = readServiceReference(node.required("service"), plan);
  canary.service = service.name;
  canary.stable = readVersionReference(node.required("stable"), service);
  const NodeReader canary_node = node.required("canary");
  canary.canary = readVersionReference(canary_node, service);
  if (canary.canary == canary.stable) canary_node.fail("must differ from stable (\"" + canary.stable + "\")");
  canary.step_weight_percent = static_cast<int>(node.required("stepWeight").asIntInRange(1, 100));
  const NodeReader max_weight = node.required("maxWeight");
  canary.max_weight_percent = static_cast<int>(max_weight.asIntInRange(1, 100));
  if (canary.max_weight_percent < canary.step_weight_percent)
    max_weight.fail(max_weight.asString() + " is below stepWeight (" + std::to_string(canary.step_weight_percent) +
                    ")");
  canary.interval = node.required("interval").asPositiveDuration();
  canary.threshold = static_cast<int>(node.required("threshold").asIntInRange(1, 1000));

  const NodeReader metrics = node.required("metrics");
  metrics.expectOnly({"successRate", "latencyP99"});
  if (auto success_rate = metrics.optional("successRate")) {
    success_rate->expectOnly({"min"});
    canary.min_success_rate_percent = success_rate->required("min").asPercentage();
  }
  if (auto latency = metrics.optional("latencyP99")) {
    latency->expectOnly({"max"});
    canary.max_latency_p99 = latency->required("max").asPositiveDuration();
  }
  if (!canary.min_success_rate_percent && !canary.max_latency_p99)
    metrics.fail("give successRate, latencyP99 or both");
  return canary;
}

}  // namespace

std::vector<Canary> readCanaries(const NodeReader& node, const Plan& plan) {
  std::vector<Canary> canaries;
  std::map<std::string, int> line_by_service;
  for (const auto& item : node.items()) {
    Canary canary = readCanary(item, plan);
    const NodeReader service = item.required("service");
    auto [seen, inserted] = line_by_service.emplace(canary.service, service.line());
    if (!inserted)
      service.fail("a canary of " + canary.service + " is already at line " + std::to_string(seen->second));
    canaries.push_back(std::move(canary));
  }
  return canaries;
}

}  // namespace meshproof::scenario
