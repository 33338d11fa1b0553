// The figures canary analysis judges by: the telemetry reports of each workload
// subset (service, version), kept by arrival time — as Prometheus keeps the scrapes
// Flagger queries — and merged over a window.
#pragma once
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "mesh/control/canary_analysis.h"
#include "mesh/telemetry/request_stats.h"

namespace meshproof::control {

class CanaryMetrics {
 public:
  // Reports older than `retention` before the newest are dropped.
  explicit CanaryMetrics(DurationNs retention) : retention_(retention) {}

  void add(const std::string& service, const std::string& version, TimeNs received,
           const telemetry::RequestStats& inbound);
  // The reports received in (from, to]; nullopt when they hold no request.
  std::optional<IntervalMetrics> window(const std::string& service, const std::string& version, TimeNs from,
                                        TimeNs to) const;

 private:
  struct Sample {
    TimeNs received;
    telemetry::RequestStats inbound;
  };
  DurationNs retention_;
  std::map<std::pair<std::string, std::string>, std::deque<Sample>> samples_;
};

}  // namespace meshproof::control
