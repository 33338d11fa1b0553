// Prometheus text for the registry's series.
#include "mesh/telemetry/prometheus_text.h"

#include <array>

namespace meshproof::telemetry {
namespace {

// Istio's default duration buckets, in milliseconds.
constexpr std::array<double, 18> kBucketsMs{1,    5,    10,    25,    50,    100,    250,     500,     1000,
                                            2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000};

void escaped(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
}

void labels(std::string& out, const RequestLabels& l, const char* extra_name = nullptr, const std::string& extra = {}) {
  out += "{reporter=\"";
  escaped(out, l.reporter);
  out += "\",source_workload=\"";
  escaped(out, l.source_workload);
  out += "\",destination_service=\"";
  escaped(out, l.destination_service);
  out += "\",destination_version=\"";
  escaped(out, l.destination_version);
  out += "\",response_code=\"" + std::to_string(l.response_code) + "\",response_flags=\"" + l.responseFlagsLabel() + "\"";
  if (extra_name != nullptr) out += std::string(",") + extra_name + "=\"" + extra + "\"";
  out += "}";
}

std::string number(double value) {
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

}  // namespace

std::string prometheusText(const MetricsRegistry& registry) {
  std::string out;
  out += "# HELP istio_requests_total Requests, by reporter and labels.\n# TYPE istio_requests_total counter\n";
  for (const auto& [l, series] : registry.series()) {
    out += "istio_requests_total";
    labels(out, l);
    out += " " + std::to_string(series.requests_total) + "\n";
  }
  out += "# HELP istio_request_duration_milliseconds Request durations.\n"
         "# TYPE istio_request_duration_milliseconds histogram\n";
  for (const auto& [l, series] : registry.series()) {
    std::array<std::uint64_t, kBucketsMs.size()> below{};
    double sum_ms = 0;
    series.duration.forEachNonEmptyBucket([&](const LatencyHistogram::Bucket& b) {
      const double mid_ms = toMillis(b.lowest_ns + (b.highest_ns - b.lowest_ns) / 2);
      sum_ms += mid_ms * static_cast<double>(b.count);
      for (std::size_t i = 0; i < kBucketsMs.size(); ++i)
        if (toMillis(b.highest_ns) <= kBucketsMs[i]) below[i] += b.count;
    });
    for (std::size_t i = 0; i < kBucketsMs.size(); ++i) {
      out += "istio_request_duration_milliseconds_bucket";
      labels(out, l, "le", number(kBucketsMs[i]));
      out += " " + std::to_string(below[i]) + "\n";
    }
    out += "istio_request_duration_milliseconds_bucket";
    labels(out, l, "le", "+Inf");
    out += " " + std::to_string(series.duration.count()) + "\n";
    out += "istio_request_duration_milliseconds_sum";
    labels(out, l);
    out += " " + number(sum_ms) + "\n";
    out += "istio_request_duration_milliseconds_count";
    labels(out, l);
    out += " " + std::to_string(series.duration.count()) + "\n";
  }
  return out;
}

}  // namespace meshproof::telemetry
