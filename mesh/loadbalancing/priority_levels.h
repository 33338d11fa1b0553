// Locality-aware priority levels: Istio's localityLbSetting mapped onto Envoy priorities,
// and Envoy's spill of load between priorities by health.
//
// Priorities (Istio pilot's locality failover, reduced to the scenario's zones):
//   P0 = the caller's zone; next = the `to` zone of the first failover entry whose `from`
//   is the caller's zone; last = every other zone together (Istio gives localities of
//   equal match the same priority). Levels without hosts are dropped (Istio compacts
//   priorities). Locality disabled, or a caller without a zone: one level with every host.
//
// Load (Envoy, arch_overview/upstream/load_balancing/priority, and
// LoadBalancerBase::recalculatePerPriorityState / distributeLoad / choosePriority):
//   health(P) = min(100, overprovisioning% * eligible / hosts), integer (140 = factor 1.4);
//   total = min(100, sum of health); load(P) = min(left, health(P) * 100 / total), left
//   cascading to later levels; rounding remainder to the first level with health > 0; when
//   every level has health 0, P0 takes 100 (panic threshold 0, Istio's minHealthPercent
//   default: no panic mode, so no eligible host there means no pick: 503 UH).
//   A draw d picks the first level whose cumulative load reaches d % 100 + 1.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mesh/config/model.h"
#include "mesh/loadbalancing/host_set.h"

namespace meshproof::lb {

inline constexpr std::uint32_t kDefaultOverprovisioningPercent = 140;  // Envoy: factor 1.4

// Zones grouped by priority, P0 first; only zones in `zones_present` appear.
std::vector<std::vector<std::string>> zonesByPriority(std::string_view local_zone,
                                                      const config::LocalityLbSetting& locality,
                                                      std::vector<std::string> zones_present);

// Envoy's priority load (percent per level, sums to 100) from per-level health percents.
std::vector<std::uint32_t> priorityLoadPercent(std::span<const std::uint32_t> health_percent);

struct PriorityLevel {
  std::vector<std::string> zones;   // sorted
  std::vector<HostIndex> members;   // the subset's hosts in these zones, ejected included
  std::vector<HostIndex> eligible;  // members not ejected, in host order
  std::uint32_t health_percent = 0;
  std::uint32_t load_percent = 0;
};

class PriorityLevels {
 public:
  struct Settings {
    std::string subset;      // empty: every host of the service
    std::string local_zone;  // the caller's zone
    config::LocalityLbSetting locality;
    std::uint32_t overprovisioning_percent = kDefaultOverprovisioningPercent;
  };

  explicit PriorityLevels(Settings settings) : settings_(std::move(settings)) {}

  // Recomputes levels, eligibility and loads from `hosts` (allocates; call on change only).
  void rebuild(const HostSet& hosts);
  // Envoy's choosePriority. Requires !empty().
  std::size_t choose(std::uint64_t draw) const;

  bool empty() const { return levels_.empty(); }
  std::size_t size() const { return levels_.size(); }
  const PriorityLevel& operator[](std::size_t priority) const { return levels_[priority]; }
  const std::vector<PriorityLevel>& levels() const { return levels_; }
  const Settings& settings() const { return settings_; }

 private:
  Settings settings_;
  std::vector<PriorityLevel> levels_;
};

}  // namespace meshproof::lb
