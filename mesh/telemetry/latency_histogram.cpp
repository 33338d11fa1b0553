// Implementation of the log-linear latency histogram.
#include "mesh/telemetry/latency_histogram.h"

#include <algorithm>
#include <cmath>

namespace meshproof::telemetry {

std::uint64_t nearestRank(double q, std::uint64_t n) {
  if (n == 0) return 0;
  if (!(q > 0.0)) return 1;  // also catches NaN
  if (q >= 1.0) return n;
  const double product = q * static_cast<double>(n);
  const double tolerance = 1e-9 * std::max(1.0, product);
  const auto rank = static_cast<std::uint64_t>(std::ceil(product - tolerance));
  return std::clamp<std::uint64_t>(rank, 1, n);
}

LatencyHistogram::LatencyHistogram(const LatencyHistogram& other)
    : count_(other.count_),
      min_ns_(other.min_ns_),
      max_ns_(other.max_ns_),
      sum_low_ns_(other.sum_low_ns_),
      sum_high_ns_(other.sum_high_ns_) {
  for (std::size_t b = 0; b < buckets::kBlockCount; ++b)
    if (other.blocks_[b]) blocks_[b] = std::make_unique<Block>(*other.blocks_[b]);
}

LatencyHistogram& LatencyHistogram::operator=(const LatencyHistogram& other) {
  if (this != &other) {
    LatencyHistogram copy(other);
    *this = std::move(copy);
  }
  return *this;
}

LatencyHistogram::Block& LatencyHistogram::blockFor(std::size_t block) {
  if (!blocks_[block]) blocks_[block] = std::make_unique<Block>(Block{});
  return *blocks_[block];
}

void LatencyHistogram::record(DurationNs value_ns) {
  const DurationNs value = std::max<DurationNs>(value_ns, 0);
  const std::size_t block = buckets::blockOf(value);
  ++blockFor(block)[buckets::offsetInBlock(value, block)];
  if (count_ == 0) {
    min_ns_ = max_ns_ = value;
  } else {
    min_ns_ = std::min(min_ns_, value);
    max_ns_ = std::max(max_ns_, value);
  }
  ++count_;
  const auto add = static_cast<std::uint64_t>(value);
  sum_low_ns_ += add;
  if (sum_low_ns_ < add) ++sum_high_ns_;
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  for (std::size_t b = 0; b < buckets::kBlockCount; ++b) {
    if (!other.blocks_[b]) continue;
    Block& mine = blockFor(b);
    const Block& theirs = *other.blocks_[b];
    for (std::size_t i = 0; i < buckets::kBucketsPerBlock; ++i) mine[i] += theirs[i];
  }
  if (count_ == 0) {
    min_ns_ = other.min_ns_;
    max_ns_ = other.max_ns_;
  } else {
    min_ns_ = std::min(min_ns_, other.min_ns_);
    max_ns_ = std::max(max_ns_, other.max_ns_);
  }
  count_ += other.count_;
  sum_low_ns_ += other.sum_low_ns_;
  sum_high_ns_ += other.sum_high_ns_ + (sum_low_ns_ < other.sum_low_ns_ ? 1 : 0);
}

void LatencyHistogram::clear() { *this = LatencyHistogram(); }

double LatencyHistogram::mean() const {
  if (count_ == 0) return 0.0;
  const double sum = std::ldexp(static_cast<double>(sum_high_ns_), 64) + static_cast<double>(sum_low_ns_);
  return sum / static_cast<double>(count_);
}

DurationNs LatencyHistogram::quantile(double q) const {
  if (count_ == 0) return 0;
  const std::uint64_t rank = nearestRank(q, count_);
  if (rank == 1) return min_ns_;
  if (rank == count_) return max_ns_;
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < buckets::kBlockCount; ++b) {
    if (!blocks_[b]) continue;
    const Block& counts = *blocks_[b];
    for (std::size_t i = 0; i < buckets::kBucketsPerBlock; ++i) {
      seen += counts[i];
      if (seen >= rank)
        return std::clamp(buckets::midpointOf(b * buckets::kBucketsPerBlock + i), min_ns_, max_ns_);
    }
  }
  return max_ns_;  // unreachable while the counts add up to count_
}

std::vector<LatencyHistogram::Bucket> LatencyHistogram::nonEmptyBuckets() const {
  std::vector<Bucket> out;
  forEachNonEmptyBucket([&](const Bucket& bucket) { out.push_back(bucket); });
  return out;
}

}  // namespace meshproof::telemetry
