// Tests for the log-linear latency histogram: bucket layout, accuracy of quantiles
// against exact sorted samples (uniform, exponential, lognormal from meshproof::Rng),
// edge cases, merging and bucket iteration.
#include "mesh/telemetry/latency_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <vector>

#include "mesh/core/rng.h"

namespace meshproof::telemetry {
namespace {

constexpr DurationNs kMaxDuration = std::numeric_limits<DurationNs>::max();

TEST(LogLinearBuckets, KnownIndicesAndBounds) {
  EXPECT_EQ(buckets::indexOf(0), 0u);
  EXPECT_EQ(buckets::indexOf(127), 127u);
  EXPECT_EQ(buckets::indexOf(128), 128u);  // block 1, width 1
  EXPECT_EQ(buckets::indexOf(255), 255u);
  EXPECT_EQ(buckets::indexOf(256), 256u);  // block 2, width 2
  EXPECT_EQ(buckets::indexOf(257), 256u);
  EXPECT_EQ(buckets::indexOf(258), 257u);
  EXPECT_EQ(buckets::lowestOf(257), 258);
  EXPECT_EQ(buckets::highestOf(257), 259);
  EXPECT_EQ(buckets::indexOf(kMaxDuration), buckets::kBucketCount - 1);
  EXPECT_EQ(buckets::highestOf(buckets::kBucketCount - 1), kMaxDuration);
}

TEST(LogLinearBuckets, EveryBucketIsNarrowerThanOne128thOfItsLowerBound) {
  for (std::size_t index = 0; index < buckets::kBucketCount; ++index) {
    const DurationNs low = buckets::lowestOf(index);
    const DurationNs high = buckets::highestOf(index);
    ASSERT_EQ(buckets::indexOf(low), index);
    ASSERT_EQ(buckets::indexOf(high), index);
    if (index + 1 < buckets::kBucketCount) {
      ASSERT_EQ(buckets::lowestOf(index + 1), high + 1);
    }
    if (low >= 128) {
      ASSERT_LE(static_cast<double>(high - low + 1) / static_cast<double>(low), 1.0 / 128);
    } else {
      ASSERT_EQ(high, low);
    }
  }
}

TEST(NearestRank, KnownRanks) {
  EXPECT_EQ(nearestRank(0.0, 10), 1u);
  EXPECT_EQ(nearestRank(0.5, 4), 2u);
  EXPECT_EQ(nearestRank(0.5, 5), 3u);
  EXPECT_EQ(nearestRank(1.0, 7), 7u);
  EXPECT_EQ(nearestRank(0.07, 100), 7u);  // 0.07 * 100 == 7.000000000000001 in doubles
  EXPECT_EQ(nearestRank(0.99, 100000), 99000u);
  EXPECT_EQ(nearestRank(0.999, 100000), 99900u);
  EXPECT_EQ(nearestRank(0.9, 11), 10u);  // ceil(9.9)
  EXPECT_EQ(nearestRank(-1.0, 5), 1u);
  EXPECT_EQ(nearestRank(2.0, 5), 5u);
}

struct Sampled {
  std::vector<DurationNs> sorted;
  LatencyHistogram histogram;
};

template <typename Draw>
Sampled sample(std::size_t n, Draw draw) {
  Sampled s;
  s.sorted.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const DurationNs v = draw();
    s.sorted.push_back(v);
    s.histogram.record(v);
  }
  std::sort(s.sorted.begin(), s.sorted.end());
  return s;
}

double relativeError(DurationNs got, DurationNs exact) {
  if (exact == 0) return got == 0 ? 0.0 : 1.0;
  return std::abs(static_cast<double>(got - exact)) / static_cast<double>(exact);
}

DurationNs exactQuantile(const std::vector<DurationNs>& sorted, double q) {
  return sorted[nearestRank(q, sorted.size()) - 1];
}

void expectQuantilesWithinOnePercent(const Sampled& s) {
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    const DurationNs exact = exactQuantile(s.sorted, q);
    const DurationNs got = s.histogram.quantile(q);
    EXPECT_LT(relativeError(got, exact), 0.01) << "q=" << q << " exact=" << exact << " got=" << got;
  }
  // Every quantile on a fine grid is within the bucket bound of 1/256.
  double worst = 0;
  for (int permille = 0; permille <= 1000; ++permille) {
    const double q = permille / 1000.0;
    worst = std::max(worst, relativeError(s.histogram.quantile(q), exactQuantile(s.sorted, q)));
  }
  EXPECT_LE(worst, 1.0 / 256);
  EXPECT_EQ(s.histogram.count(), s.sorted.size());
  EXPECT_EQ(s.histogram.min(), s.sorted.front());
  EXPECT_EQ(s.histogram.max(), s.sorted.back());
}

TEST(LatencyHistogram, UniformSamplesQuantilesWithinOnePercent) {
  Rng rng(1);
  // Uniform over [1us, 1s].
  const Sampled s = sample(200'000, [&] { return kMicrosecond + static_cast<DurationNs>(rng.below(kSecond)); });
  expectQuantilesWithinOnePercent(s);
}

TEST(LatencyHistogram, ExponentialSamplesQuantilesWithinOnePercent) {
  Rng rng(2);
  const Sampled s =
      sample(200'000, [&] { return static_cast<DurationNs>(rng.exponential(20.0 * kMillisecond)); });
  expectQuantilesWithinOnePercent(s);
}

TEST(LatencyHistogram, LognormalSamplesQuantilesWithinOnePercent) {
  Rng rng(3);
  const double mu = std::log(20.0 * kMillisecond);
  const Sampled s = sample(200'000, [&] { return static_cast<DurationNs>(rng.lognormal(mu, 1.0)); });
  expectQuantilesWithinOnePercent(s);
}

TEST(LatencyHistogram, MeanIsExact) {
  Rng rng(4);
  LatencyHistogram h;
  long double sum = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto v = static_cast<DurationNs>(rng.below(kSecond));
    h.record(v);
    sum += static_cast<long double>(v);
  }
  EXPECT_DOUBLE_EQ(h.mean(), static_cast<double>(sum / 1000));
}

TEST(LatencyHistogram, EmptyHistogramReportsZeros) {
  const LatencyHistogram h;
  EXPECT_TRUE(h.empty());
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), 0);
  EXPECT_EQ(h.mean(), 0.0);
  EXPECT_EQ(h.quantile(0.99), 0);
  EXPECT_TRUE(h.nonEmptyBuckets().empty());
}

TEST(LatencyHistogram, ZeroOneNanosecondAndOneHourAreKept) {
  LatencyHistogram h;
  h.record(0);
  h.record(1);
  h.record(kHour);
  EXPECT_EQ(h.count(), 3u);
  EXPECT_EQ(h.quantile(0.0), 0);
  EXPECT_EQ(h.quantile(0.34), 1);  // rank 2
  EXPECT_EQ(h.quantile(0.5), 1);
  EXPECT_EQ(h.quantile(0.99), kHour);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), kHour);
  EXPECT_DOUBLE_EQ(h.mean(), static_cast<double>(kHour + 1) / 3);
}

TEST(LatencyHistogram, OneHourInTheMiddleIsWithinTheBucketBound) {
  LatencyHistogram h;
  h.record(kHour - kMinute);
  h.record(kHour);
  h.record(kHour + kMinute);
  EXPECT_LE(relativeError(h.quantile(0.5), kHour), 1.0 / 256);
  EXPECT_NE(h.quantile(0.5), kHour - kMinute);
  EXPECT_NE(h.quantile(0.5), kHour + kMinute);
}

TEST(LatencyHistogram, SmallValuesAreExact) {
  LatencyHistogram h;
  for (DurationNs v = 0; v < 256; ++v) h.record(v);
  EXPECT_EQ(h.quantile(0.5), 127);  // rank 128
  EXPECT_EQ(h.quantile(0.25), 63);  // rank 64
  EXPECT_EQ(h.quantile(0.9), 230);  // rank ceil(230.4) = 231
}

TEST(LatencyHistogram, NegativeDurationCountsAsZero) {
  LatencyHistogram h;
  h.record(-5);
  EXPECT_EQ(h.count(), 1u);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.quantile(0.5), 0);
}

TEST(LatencyHistogram, MeanOfHugeValuesDoesNotOverflow) {
  LatencyHistogram h;
  for (int i = 0; i < 3; ++i) h.record(kMaxDuration);
  EXPECT_DOUBLE_EQ(h.mean(), static_cast<double>(kMaxDuration));
  EXPECT_EQ(h.quantile(0.5), kMaxDuration);
}

TEST(LatencyHistogram, MergeEqualsRecordingEverything) {
  Rng rng(5);
  LatencyHistogram first, second, whole;
  for (int i = 0; i < 10'000; ++i) {
    const auto v = static_cast<DurationNs>(rng.exponential(5.0 * kMillisecond));
    (i % 3 == 0 ? first : second).record(v);
    whole.record(v);
  }
  LatencyHistogram merged;
  merged.merge(first);
  merged.merge(second);
  merged.merge(LatencyHistogram{});
  EXPECT_EQ(merged.count(), whole.count());
  EXPECT_EQ(merged.min(), whole.min());
  EXPECT_EQ(merged.max(), whole.max());
  EXPECT_DOUBLE_EQ(merged.mean(), whole.mean());
  for (double q : {0.1, 0.5, 0.9, 0.99, 0.999}) EXPECT_EQ(merged.quantile(q), whole.quantile(q));
  const auto a = merged.nonEmptyBuckets();
  const auto b = whole.nonEmptyBuckets();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].lowest_ns, b[i].lowest_ns);
    EXPECT_EQ(a[i].count, b[i].count);
  }
}

TEST(LatencyHistogram, IteratesNonEmptyBucketsInOrder) {
  LatencyHistogram h;
  h.record(301);
  h.record(5);
  h.record(300);
  h.record(5);
  h.record(kSecond);
  const auto list = h.nonEmptyBuckets();
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].lowest_ns, 5);
  EXPECT_EQ(list[0].highest_ns, 5);
  EXPECT_EQ(list[0].count, 2u);
  EXPECT_EQ(list[1].lowest_ns, 300);
  EXPECT_EQ(list[1].highest_ns, 301);
  EXPECT_EQ(list[1].count, 2u);
  // 1e9 has its top bit at 29: block 23, width 2^22 = 4194304; 1e9 >> 22 = 238.
  EXPECT_EQ(list[2].lowest_ns, 238 * 4'194'304);
  EXPECT_EQ(list[2].highest_ns, 239 * 4'194'304 - 1);
  EXPECT_EQ(list[2].count, 1u);
}

TEST(LatencyHistogram, CopiesAreIndependent) {
  LatencyHistogram a;
  a.record(10);
  LatencyHistogram b = a;
  b.record(20);
  EXPECT_EQ(a.count(), 1u);
  EXPECT_EQ(b.count(), 2u);
  a = b;
  EXPECT_EQ(a.max(), 20);
  a.clear();
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(b.count(), 2u);
}

}  // namespace
}  // namespace meshproof::telemetry
