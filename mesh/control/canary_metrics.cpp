// Windows over the canary subsets' telemetry reports.
#include "mesh/control/canary_metrics.h"

namespace meshproof::control {

void CanaryMetrics::add(const std::string& service, const std::string& version, TimeNs received,
                        const telemetry::RequestStats& inbound) {
  auto& samples = samples_[{service, version}];
  samples.push_back(Sample{received, inbound});
  while (!samples.empty() && samples.front().received < received - retention_) samples.pop_front();
}

std::optional<IntervalMetrics> CanaryMetrics::window(const std::string& service, const std::string& version,
                                                     TimeNs from, TimeNs to) const {
  const auto it = samples_.find({service, version});
  if (it == samples_.end()) return std::nullopt;
  telemetry::RequestStats merged;
  for (const Sample& s : it->second)
    if (s.received > from && s.received <= to) merged.merge(s.inbound);
  if (merged.requests() == 0) return std::nullopt;
  IntervalMetrics m;
  m.requests = merged.requests();
  m.success_rate_percent = merged.successRatePercent().value_or(100);
  m.latency_p99 = merged.latency().quantile(0.99);
  return m;
}

}  // namespace meshproof::control
