// Istio's standard request metrics in Prometheus' text exposition format, as a
// sidecar's /stats serves them: istio_requests_total (counter) and
// istio_request_duration_milliseconds (histogram with Istio's default buckets),
// labelled reporter, source_workload, destination_service, destination_version,
// response_code and response_flags.
#pragma once
#include <string>

#include "mesh/telemetry/metrics_registry.h"

namespace meshproof::telemetry {

std::string prometheusText(const MetricsRegistry& registry);

}  // namespace meshproof::telemetry
