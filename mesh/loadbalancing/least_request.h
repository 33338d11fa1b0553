// LEAST_REQUEST: Envoy's unweighted least request, power of two choices (choice_count 2):
// draw 2 eligible hosts uniformly *with replacement* and keep the first unless the second
// has strictly fewer active requests (EdfLoadBalancerBase / LeastRequestLoadBalancer::
// unweightedHostPick). A host is thus picked only through a draw: one loaded host among n
// idle ones is still chosen when both draws hit it, with probability 1/n^2.
#pragma once
#include "mesh/loadbalancing/host_picker.h"

namespace meshproof::lb {

class LeastRequestPicker final : public HostPicker {
 public:
  static constexpr int kChoiceCount = 2;  // Envoy default
  void onLevelsRebuilt(const HostSet&, const PriorityLevels&, bool) override {}
  std::optional<HostIndex> pick(HostSet& hosts, const PriorityLevels& levels, std::size_t priority,
                                const PickInput& input, Rng& rng) override;
};

}  // namespace meshproof::lb
