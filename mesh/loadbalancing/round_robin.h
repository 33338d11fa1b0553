// ROUND_ROBIN: Envoy's unweighted round robin. Each priority level keeps a counter;
// a pick takes eligible[counter++ % eligible.size()], so equal-weight hosts are visited
// in order and ejected hosts are skipped. Counters start at one random offset (Envoy
// seeds its round-robin index with a random value so that proxies do not move in step)
// and keep running when the eligible list changes.
#pragma once
#include <vector>

#include "mesh/loadbalancing/host_picker.h"

namespace meshproof::lb {

class RoundRobinPicker final : public HostPicker {
 public:
  explicit RoundRobinPicker(std::uint64_t start_offset) : start_offset_(start_offset) {}
  void onLevelsRebuilt(const HostSet& hosts, const PriorityLevels& levels, bool membership_changed) override;
  std::optional<HostIndex> pick(HostSet& hosts, const PriorityLevels& levels, std::size_t priority,
                                const PickInput& input, Rng& rng) override;

 private:
  std::uint64_t start_offset_;
  std::vector<std::uint64_t> next_per_priority_;
};

}  // namespace meshproof::lb
