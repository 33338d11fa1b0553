// Nearest-rank selection plus the histogram's bucket midpoint (see window_quantile.h).
#include "viz/model/window_quantile.h"

#include <algorithm>

#include "mesh/telemetry/latency_histogram.h"
#include "mesh/telemetry/log_linear_buckets.h"

namespace meshproof::viz {

DurationNs histogramQuantile(std::vector<DurationNs>& samples, double q) {
  if (samples.empty()) return 0;
  for (DurationNs& s : samples) s = std::max<DurationNs>(s, 0);  // as LatencyHistogram::record
  const auto [lowest, highest] = std::minmax_element(samples.begin(), samples.end());
  const DurationNs min = *lowest, max = *highest;
  const std::uint64_t rank = telemetry::nearestRank(q, samples.size());
  if (rank == 1) return min;
  if (rank == samples.size()) return max;
  const auto nth = samples.begin() + static_cast<std::ptrdiff_t>(rank - 1);
  std::nth_element(samples.begin(), nth, samples.end());
  return std::clamp(telemetry::buckets::midpointOf(telemetry::buckets::indexOf(*nth)), min, max);
}

}  // namespace meshproof::viz
