// Implementation of the mergeable per-service / per-window request aggregates.
#include "mesh/telemetry/request_stats.h"

#include <algorithm>
#include <bit>

namespace meshproof::telemetry {

void RequestStats::add(int status, ResponseFlags flags, DurationNs duration_ns) {
  ++requests_;
  if (isSuccessStatus(status)) ++successes_;
  latency_.record(duration_ns);
  for (ResponseFlags rest = flags; rest != 0; rest &= rest - 1)
    ++count_by_flag_bit_[static_cast<std::size_t>(std::countr_zero(rest))];
}

RequestStats RequestStats::fromCounts(std::uint64_t requests, std::uint64_t successes, LatencyHistogram latency) {
  RequestStats stats;
  stats.requests_ = requests;
  stats.successes_ = std::min(successes, requests);
  stats.latency_ = std::move(latency);
  return stats;
}

void RequestStats::merge(const RequestStats& other) {
  requests_ += other.requests_;
  successes_ += other.successes_;
  latency_.merge(other.latency_);
  for (std::size_t bit = 0; bit < count_by_flag_bit_.size(); ++bit)
    count_by_flag_bit_[bit] += other.count_by_flag_bit_[bit];
}

std::optional<double> RequestStats::successRatePercent() const {
  if (requests_ == 0) return std::nullopt;
  return 100.0 * static_cast<double>(successes_) / static_cast<double>(requests_);
}

std::uint64_t RequestStats::flagCount(ResponseFlag flag) const {
  const auto bits = static_cast<ResponseFlags>(flag);
  if (bits == 0 || !std::has_single_bit(bits)) return 0;
  return count_by_flag_bit_[static_cast<std::size_t>(std::countr_zero(bits))];
}

std::vector<FlagCount> RequestStats::flagCounts() const {
  std::vector<FlagCount> out;
  out.reserve(allResponseFlags().size());
  for (ResponseFlag flag : allResponseFlags()) out.push_back({flag, responseFlagName(flag), flagCount(flag)});
  return out;
}

}  // namespace meshproof::telemetry
