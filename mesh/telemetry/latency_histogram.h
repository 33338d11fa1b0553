// A latency histogram accurate to better than 1% at every quantile: log-linear
// buckets (see log_linear_buckets.h), O(1) record, bounded memory (at most 57 blocks
// of 128 counters, allocated the first time a magnitude is seen), mergeable, and
// iterable bucket by bucket for Prometheus-style export.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "mesh/core/time.h"
#include "mesh/telemetry/log_linear_buckets.h"

namespace meshproof::telemetry {

// Nearest-rank definition of the q-quantile of n sorted samples: the 1-based rank
// ceil(q·n), clamped to [1, n]. q is clamped to [0, 1]; a product within one part in
// 10^9 above an integer counts as that integer, so that decimal quantiles such as
// 0.07 × 100 give rank 7, not 8. n must be > 0.
std::uint64_t nearestRank(double q, std::uint64_t n);

class LatencyHistogram {
 public:
  struct Bucket {
    DurationNs lowest_ns;   // smallest value the bucket counts
    DurationNs highest_ns;  // largest value the bucket counts (inclusive)
    std::uint64_t count;
  };

  LatencyHistogram() = default;
  LatencyHistogram(const LatencyHistogram& other);
  LatencyHistogram& operator=(const LatencyHistogram& other);
  LatencyHistogram(LatencyHistogram&&) noexcept = default;
  LatencyHistogram& operator=(LatencyHistogram&&) noexcept = default;
  ~LatencyHistogram() = default;

  // Counts one sample. A negative duration counts as 0.
  void record(DurationNs value_ns);
  // Adds every sample of `other`.
  void merge(const LatencyHistogram& other);
  void clear();

  bool empty() const { return count_ == 0; }
  std::uint64_t count() const { return count_; }
  // Exact smallest / largest sample; 0 when empty.
  DurationNs min() const { return count_ == 0 ? 0 : min_ns_; }
  DurationNs max() const { return count_ == 0 ? 0 : max_ns_; }
  // Exact arithmetic mean of the samples; 0 when empty.
  double mean() const;
  // The nearest-rank q-quantile (see nearestRank): the midpoint of the bucket holding
  // the sample of that rank, clamped to [min, max]; exactly min for rank 1 and exactly
  // max for rank n. Within 0.4% of the exact sample quantile. 0 when empty.
  DurationNs quantile(double q) const;

  // Calls visit(const Bucket&) for every non-empty bucket, in ascending value order.
  template <typename Visit>
  void forEachNonEmptyBucket(Visit&& visit) const {
    for (std::size_t block = 0; block < buckets::kBlockCount; ++block) {
      if (!blocks_[block]) continue;
      const Block& counts = *blocks_[block];
      for (std::size_t offset = 0; offset < buckets::kBucketsPerBlock; ++offset) {
        if (counts[offset] == 0) continue;
        const std::size_t index = block * buckets::kBucketsPerBlock + offset;
        visit(Bucket{buckets::lowestOf(index), buckets::highestOf(index), counts[offset]});
      }
    }
  }
  // The same buckets as a list (allocates; for export, not for the request path).
  std::vector<Bucket> nonEmptyBuckets() const;

 private:
  using Block = std::array<std::uint64_t, buckets::kBucketsPerBlock>;
  Block& blockFor(std::size_t block);

  std::array<std::unique_ptr<Block>, buckets::kBlockCount> blocks_{};
  std::uint64_t count_ = 0;
  DurationNs min_ns_ = 0;
  DurationNs max_ns_ = 0;
  // Exact sum of the samples as a 128-bit number (high and low words).
  std::uint64_t sum_low_ns_ = 0;
  std::uint64_t sum_high_ns_ = 0;
};

}  // namespace meshproof::telemetry
