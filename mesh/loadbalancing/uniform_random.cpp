// Implementation of the uniform random picker (see uniform_random.h).
#include "mesh/loadbalancing/uniform_random.h"

namespace meshproof::lb {

std::optional<HostIndex> UniformRandomPicker::pick(HostSet&, const PriorityLevels& levels, std::size_t priority,
                                                   const PickInput&, Rng& rng) {
  const auto& eligible = levels[priority].eligible;
  if (eligible.empty()) return std::nullopt;
  return eligible[rng.below(eligible.size())];
}

}  // namespace meshproof::lb
