// EWMA: Linkerd's balancer, tower's p2c::Balance over PeakEwma loads. Two distinct hosts
// are drawn with tower's sample_floyd2 (a from [0, n-1), b from [0, n), a = n-1 when a == b)
// and the one with the lower cost wins, ties to a (tower: `if aload <= bload { a } else { b }`).
// Cost = Peak-EWMA RTT estimate decayed to now * (active requests + 1) (HostSet::peakEwmaCost).
#pragma once
#include "mesh/loadbalancing/host_picker.h"

namespace meshproof::lb {

class PeakEwmaPicker final : public HostPicker {
 public:
  void onLevelsRebuilt(const HostSet&, const PriorityLevels&, bool) override {}
  std::optional<HostIndex> pick(HostSet& hosts, const PriorityLevels& levels, std::size_t priority,
                                const PickInput& input, Rng& rng) override;
};

}  // namespace meshproof::lb
