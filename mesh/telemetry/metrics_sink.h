// An EventSink that feeds the RequestEvents of the event stream into a
// MetricsRegistry and ignores every other event.
#pragma once
#include <variant>

#include "mesh/core/events.h"
#include "mesh/telemetry/metrics_registry.h"

namespace meshproof::telemetry {

class MetricsSink final : public EventSink {
 public:
  explicit MetricsSink(MetricsRegistry& registry) : registry_(registry) {}
  void emit(TimeNs, const Event& event) override {
    if (const auto* request = std::get_if<RequestEvent>(&event)) registry_.observe(*request);
  }

 private:
  MetricsRegistry& registry_;
};

}  // namespace meshproof::telemetry
