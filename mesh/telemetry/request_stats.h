// Aggregate figures for a set of requests — one destination service, or one time
// window of it: how many, how many succeeded, their latency distribution and how
// often each Envoy response flag was set. Mergeable, so windows add up.
//
// Success: a request succeeded when it got a response with a status in [100, 500).
// This follows Istio's and Flagger's request success rate, which count only 5xx as
// failures (Kiali's health view can also flag 4xx, but only as a configurable
// tolerance). So a 403 from an RBAC denial or a 404 counts as a success here; the
// authz expectations look at the RBAC flag instead. Status 0 (no response was ever
// sent, e.g. a reset) counts as a failure.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "mesh/core/http.h"
#include "mesh/core/time.h"
#include "mesh/telemetry/latency_histogram.h"

namespace meshproof::telemetry {

// True when `status` counts as a success (see the file comment).
constexpr bool isSuccessStatus(int status) { return status >= 100 && status < 500; }

struct FlagCount {
  ResponseFlag flag;
  std::string_view name;  // Envoy's short name, e.g. "UO"
  std::uint64_t count;
};

class RequestStats {
 public:
  void add(int status, ResponseFlags flags, DurationNs duration_ns);
  // Figures that arrive as counts and a latency distribution (a telemetry report
  // from another process); response flags are not carried.
  static RequestStats fromCounts(std::uint64_t requests, std::uint64_t successes, LatencyHistogram latency);
  void merge(const RequestStats& other);

  std::uint64_t requests() const { return requests_; }
  std::uint64_t successes() const { return successes_; }
  std::uint64_t failures() const { return requests_ - successes_; }
  // successes / requests in percent (0–100); nullopt when there were no requests.
  std::optional<double> successRatePercent() const;
  const LatencyHistogram& latency() const { return latency_; }
  // Nearest-rank latency quantile in milliseconds (0 when there were no requests).
  double latencyQuantileMs(double q) const { return toMillis(latency_.quantile(q)); }
  // Requests whose flags included `flag` (a request with "UO,URX" counts for both).
  std::uint64_t flagCount(ResponseFlag flag) const;
  // Every flag of allResponseFlags(), in that order, zero counts included.
  std::vector<FlagCount> flagCounts() const;

 private:
  std::uint64_t requests_ = 0;
  std::uint64_t successes_ = 0;
  LatencyHistogram latency_;
  std::array<std::uint64_t, 32> count_by_flag_bit_{};  // one per bit of ResponseFlags
};

}  // namespace meshproof::telemetry
