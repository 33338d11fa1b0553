// Implementation of the Peak-EWMA power-of-two-choices picker (see peak_ewma.h).
#include "mesh/loadbalancing/peak_ewma.h"

namespace meshproof::lb {

std::optional<HostIndex> PeakEwmaPicker::pick(HostSet& hosts, const PriorityLevels& levels, std::size_t priority,
                                              const PickInput& input, Rng& rng) {
  const auto& eligible = levels[priority].eligible;
  const std::uint64_t count = eligible.size();
  if (count == 0) return std::nullopt;
  if (count == 1) return eligible[0];
  std::uint64_t a = rng.below(count - 1);
  const std::uint64_t b = rng.below(count);
  if (a == b) a = count - 1;
  const double a_cost = hosts.peakEwmaCost(eligible[a], input.now);
  const double b_cost = hosts.peakEwmaCost(eligible[b], input.now);
  return a_cost <= b_cost ? eligible[a] : eligible[b];
}

}  // namespace meshproof::lb
