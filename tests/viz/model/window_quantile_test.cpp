// histogramQuantile gives exactly what telemetry::LatencyHistogram reports for the same
// samples, at every quantile the views ask for and at the edges (one sample, ranks 1
// and n, negative and huge values).
#include "viz/model/window_quantile.h"

#include <gtest/gtest.h>

#include "mesh/telemetry/latency_histogram.h"

namespace meshproof::viz {
namespace {

DurationNs viaHistogram(const std::vector<DurationNs>& samples, double q) {
  telemetry::LatencyHistogram h;
  for (const DurationNs s : samples) h.record(s);
  return h.quantile(q);
}

TEST(HistogramQuantile, MatchesLatencyHistogramExactly) {
  std::uint64_t state = 7;
  for (const std::size_t n : {1u, 2u, 3u, 10u, 99u, 100u, 101u, 1000u, 4321u}) {
    std::vector<DurationNs> samples;
    for (std::size_t i = 0; i < n; ++i) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      // Mostly milliseconds, some microseconds, a few seconds.
      const std::uint64_t r = state >> 20;
      samples.push_back(static_cast<DurationNs>(r % 7 == 0 ? r % 5000 : r % 11 == 0 ? r % 3'000'000'000 : r % 80'000'000));
    }
    for (const double q : {0.0, 0.5, 0.9, 0.99, 0.999, 1.0}) {
      std::vector<DurationNs> copy = samples;
      EXPECT_EQ(histogramQuantile(copy, q), viaHistogram(samples, q)) << "n=" << n << " q=" << q;
    }
  }
}

TEST(HistogramQuantile, EdgeCases) {
  std::vector<DurationNs> none;
  EXPECT_EQ(histogramQuantile(none, 0.99), 0);
  std::vector<DurationNs> one = {12'345'678};
  EXPECT_EQ(histogramQuantile(one, 0.99), 12'345'678);
  std::vector<DurationNs> odd = {-5, 0, kNever};
  EXPECT_EQ(histogramQuantile(odd, 0.5), viaHistogram({-5, 0, kNever}, 0.5));
  std::vector<DurationNs> top = {-5, 0, kNever};
  EXPECT_EQ(histogramQuantile(top, 1.0), kNever);
}

}  // namespace
}  // namespace meshproof::viz
