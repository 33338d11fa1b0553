// RANDOM: Envoy's random load balancer, a uniform draw over the level's eligible hosts.
#pragma once
#include "mesh/loadbalancing/host_picker.h"

namespace meshproof::lb {

class UniformRandomPicker final : public HostPicker {
 public:
  void onLevelsRebuilt(const HostSet&, const PriorityLevels&, bool) override {}
  std::optional<HostIndex> pick(HostSet& hosts, const PriorityLevels& levels, std::size_t priority,
                                const PickInput& input, Rng& rng) override;
};

}  // namespace meshproof::lb
