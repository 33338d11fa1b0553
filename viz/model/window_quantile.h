// Latency quantiles of a time window, as telemetry::LatencyHistogram would report them
// (its nearest-rank definition and its log-linear bucket midpoints, so the figures
// match report.json's), computed straight from the window's samples: a frame asks
// for thousands of them, and building a histogram each time (a kilobyte block per
// magnitude, zeroed) would cost more than the frame.
#pragma once
#include <vector>

#include "mesh/core/time.h"

namespace meshproof::viz {

// What LatencyHistogram::quantile(q) answers after recording `samples`: the midpoint
// of the bucket holding the sample of rank nearestRank(q, n), clamped to [min, max];
// exactly min for rank 1 and max for rank n. Reorders `samples`. 0 when empty.
DurationNs histogramQuantile(std::vector<DurationNs>& samples, double q);

}  // namespace meshproof::viz
