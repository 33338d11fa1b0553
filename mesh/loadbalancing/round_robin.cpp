// Implementation of the round-robin picker (see round_robin.h).
#include "mesh/loadbalancing/round_robin.h"

namespace meshproof::lb {

void RoundRobinPicker::onLevelsRebuilt(const HostSet&, const PriorityLevels& levels, bool) {
  next_per_priority_.resize(levels.size(), start_offset_);
}

std::optional<HostIndex> RoundRobinPicker::pick(HostSet&, const PriorityLevels& levels, std::size_t priority,
                                                const PickInput&, Rng&) {
  const auto& eligible = levels[priority].eligible;
  if (eligible.empty()) return std::nullopt;
  return eligible[next_per_priority_[priority]++ % eligible.size()];
}

}  // namespace meshproof::lb
