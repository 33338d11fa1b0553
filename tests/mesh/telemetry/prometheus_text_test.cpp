// /stats text: Istio's metric names and labels, cumulative histogram buckets with
// Istio's bounds, +Inf, sum and count, and label values escaped.
#include "mesh/telemetry/prometheus_text.h"

#include <gtest/gtest.h>

namespace meshproof::telemetry {
namespace {

RequestEvent call(int status, DurationNs duration, std::string source = "checkout-v1-0") {
  RequestEvent e;
  e.reporter = "source";
  e.source = std::move(source);
  e.destination_service = "payments";
  e.destination_subset = "v1";
  e.status = status;
  e.duration = duration;
  return e;
}

TEST(PrometheusText, CountersAndCumulativeBuckets) {
  MetricsRegistry registry;
  registry.observe(call(200, 3 * kMillisecond));
  registry.observe(call(200, 40 * kMillisecond));
  const std::string text = prometheusText(registry);
  const std::string l =
      R"(reporter="source",source_workload="checkout-v1-0",destination_service="payments",destination_version="v1",)"
      R"(response_code="200",response_flags="-")";
  EXPECT_NE(text.find("istio_requests_total{" + l + "} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("istio_request_duration_milliseconds_bucket{" + l + ",le=\"1\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("istio_request_duration_milliseconds_bucket{" + l + ",le=\"5\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("istio_request_duration_milliseconds_bucket{" + l + ",le=\"50\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("istio_request_duration_milliseconds_bucket{" + l + ",le=\"+Inf\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("istio_request_duration_milliseconds_count{" + l + "} 2\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE istio_request_duration_milliseconds histogram\n"), std::string::npos);
}

TEST(PrometheusText, EscapesLabelValues) {
  MetricsRegistry registry;
  registry.observe(call(503, kMillisecond, "a\"b\\c"));
  EXPECT_NE(prometheusText(registry).find(R"(source_workload="a\"b\\c")"), std::string::npos);
}

}  // namespace
}  // namespace meshproof::telemetry
