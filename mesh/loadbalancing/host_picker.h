// The policy seam: one load-balancing policy picks a host within one priority level.
// Filtering (subset, ejection), locality priority and retry-host avoidance happen around
// it in LoadBalancer; a picker only sees a level's hosts. Picks must not allocate.
#pragma once
#include <cstdint>
#include <optional>

#include "mesh/core/rng.h"
#include "mesh/core/time.h"
#include "mesh/loadbalancing/host_set.h"
#include "mesh/loadbalancing/priority_levels.h"

namespace meshproof::lb {

struct PickInput {
  std::uint64_t request_hash = 0;  // hash-based pickers: the request's key (or a random one)
  std::uint32_t attempt = 0;       // 0: first selection; n: n-th reselection (retry predicate)
  TimeNs now = 0;
};

class HostPicker {
 public:
  virtual ~HostPicker() = default;

  // True when the pick follows the request hash (priority then follows it too, as in
  // Envoy's ThreadAwareLoadBalancerBase).
  virtual bool usesRequestHash() const { return false; }
  // The levels were rebuilt; `membership_changed` tells whether hosts joined. May allocate.
  virtual void onLevelsRebuilt(const HostSet& hosts, const PriorityLevels& levels, bool membership_changed) = 0;
  // One host of levels[priority].eligible; nullopt only when that list is empty.
  virtual std::optional<HostIndex> pick(HostSet& hosts, const PriorityLevels& levels, std::size_t priority,
                                        const PickInput& input, Rng& rng) = 0;
};

}  // namespace meshproof::lb
