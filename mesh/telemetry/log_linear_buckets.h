// Bucket layout of the latency histogram, HdrHistogram style: values are integer
// nanoseconds; [0, 128) is counted exactly, and every power of two above that,
// [128·2^m, 256·2^m), is split into 128 linear buckets of width 2^m. A bucket is
// therefore never wider than 1/128 of its lower bound, and its midpoint lies within
// 1/256 (0.39%) of any value in it. Buckets are grouped into 57 blocks of 128 so that
// a histogram can allocate only the magnitudes it sees; together they cover every
// non-negative int64.
#pragma once
#include <bit>
#include <cstddef>
#include <cstdint>

#include "mesh/core/time.h"

namespace meshproof::telemetry::buckets {

inline constexpr std::size_t kBucketsPerBlock = 128;
// Block 0 holds [0, 128) exactly; block b >= 1 holds [128·2^(b-1), 256·2^(b-1)).
// The largest int64 has its top bit at position 62, so it lands in block 62 - 6 = 56.
inline constexpr std::size_t kBlockCount = 57;
inline constexpr std::size_t kBucketCount = kBlockCount * kBucketsPerBlock;

// Block of a non-negative value.
constexpr std::size_t blockOf(DurationNs value_ns) {
  const auto v = static_cast<std::uint64_t>(value_ns);
  if (v < kBucketsPerBlock) return 0;
  const int top_bit = 63 - std::countl_zero(v);  // >= 7
  return static_cast<std::size_t>(top_bit - 6);
}

// Position of a non-negative value inside its block, 0..127.
constexpr std::size_t offsetInBlock(DurationNs value_ns, std::size_t block) {
  const auto v = static_cast<std::uint64_t>(value_ns);
  if (block == 0) return static_cast<std::size_t>(v);
  return static_cast<std::size_t>((v >> (block - 1)) - kBucketsPerBlock);
}

// Global bucket index (block * 128 + offset) of a non-negative value.
constexpr std::size_t indexOf(DurationNs value_ns) {
  const std::size_t block = blockOf(value_ns);
  return block * kBucketsPerBlock + offsetInBlock(value_ns, block);
}

// Width of every bucket in a block, in nanoseconds.
constexpr DurationNs widthOfBlock(std::size_t block) {
  return block == 0 ? 1 : DurationNs{1} << (block - 1);
}

// Smallest value counted in bucket `index`.
constexpr DurationNs lowestOf(std::size_t index) {
  const std::size_t block = index / kBucketsPerBlock;
  const auto offset = static_cast<DurationNs>(index % kBucketsPerBlock);
  if (block == 0) return offset;
  return (static_cast<DurationNs>(kBucketsPerBlock) + offset) << (block - 1);
}

// Largest value counted in bucket `index` (inclusive).
constexpr DurationNs highestOf(std::size_t index) {
  return lowestOf(index) + (widthOfBlock(index / kBucketsPerBlock) - 1);
}

// The value reported for bucket `index`: its midpoint, rounded down.
constexpr DurationNs midpointOf(std::size_t index) {
  return lowestOf(index) + (widthOfBlock(index / kBucketsPerBlock) - 1) / 2;
}

}  // namespace meshproof::telemetry::buckets
