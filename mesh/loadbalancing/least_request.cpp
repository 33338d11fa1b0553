// Implementation of the power-of-two-choices least-request picker (see least_request.h).
#include "mesh/loadbalancing/least_request.h"

namespace meshproof::lb {

std::optional<HostIndex> LeastRequestPicker::pick(HostSet& hosts, const PriorityLevels& levels, std::size_t priority,
                                                  const PickInput&, Rng& rng) {
  const auto& eligible = levels[priority].eligible;
  if (eligible.empty()) return std::nullopt;
  HostIndex candidate = eligible[rng.below(eligible.size())];
  for (int choice = 1; choice < kChoiceCount; ++choice) {
    const HostIndex sampled = eligible[rng.below(eligible.size())];
    if (hosts[sampled].active_requests < hosts[candidate].active_requests) candidate = sampled;
  }
  return candidate;
}

}  // namespace meshproof::lb
