// Run statistics for the report: an EventSink that counts the workload's requests
// end to end (ClientRequestEvents) and feeds the per-hop RequestEvents into a
// telemetry::MetricsRegistry, whose services() are the per-service figures as seen
// by each service's callers (reporter=source, mirrored copies and local replies
// included).
#pragma once
#include <cstdint>

#include "mesh/core/events.h"
#include "mesh/telemetry/metrics_registry.h"

namespace meshproof::chaos {

// Every client request is exactly one of succeeded (answered, status in [100, 500)),
// failed (answered otherwise, or ended without a status) or lost (never answered):
// total = succeeded + failed + lost.
struct ClientTotals {
  std::uint64_t total = 0;
  std::uint64_t succeeded = 0;
  std::uint64_t failed = 0;
  std::uint64_t lost = 0;
};

class RunStatistics final : public EventSink {
 public:
  void emit(TimeNs t, const Event& event) override;

  const ClientTotals& clients() const { return clients_; }
  const telemetry::MetricsRegistry& metrics() const { return metrics_; }

 private:
  ClientTotals clients_;
  telemetry::MetricsRegistry metrics_;
};

}  // namespace meshproof::chaos
