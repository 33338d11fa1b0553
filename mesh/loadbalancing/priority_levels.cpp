// Implementation of locality priority levels and Envoy's priority load (see priority_levels.h).
#include "mesh/loadbalancing/priority_levels.h"

#include <algorithm>
#include <utility>

namespace meshproof::lb {

std::vector<std::vector<std::string>> zonesByPriority(std::string_view local_zone,
                                                      const config::LocalityLbSetting& locality,
                                                      std::vector<std::string> zones_present) {
  std::sort(zones_present.begin(), zones_present.end());
  zones_present.erase(std::unique(zones_present.begin(), zones_present.end()), zones_present.end());
  if (!locality.enabled || local_zone.empty()) return {zones_present};

  auto take = [&zones_present](std::string_view zone) -> std::vector<std::string> {
    auto it = std::find(zones_present.begin(), zones_present.end(), zone);
    if (it == zones_present.end()) return {};
    std::vector<std::string> group{*it};
    zones_present.erase(it);
    return group;
  };

  std::vector<std::vector<std::string>> groups;
  if (auto local = take(local_zone); !local.empty()) groups.push_back(std::move(local));
  // Istio applies the first failover entry whose `from` matches the caller's locality.
  for (const auto& failover : locality.failover) {
    if (failover.from != local_zone) continue;
    if (auto target = take(failover.to); !target.empty()) groups.push_back(std::move(target));
    break;
  }
  if (!zones_present.empty()) groups.push_back(std::move(zones_present));
  return groups;
}

std::vector<std::uint32_t> priorityLoadPercent(std::span<const std::uint32_t> health_percent) {
  std::vector<std::uint32_t> load(health_percent.size(), 0);
  if (load.empty()) return load;
  std::uint32_t total_health = 0;
  for (std::uint32_t health : health_percent) total_health += health;
  total_health = std::min<std::uint32_t>(100, total_health);
  if (total_health == 0) {
    load[0] = 100;  // Envoy with panic threshold 0: P0 nominally takes all, finds no host
    return load;
  }
  std::uint32_t left = 100;
  int first_available = -1;
  for (std::size_t i = 0; i < health_percent.size(); ++i) {
    if (first_available < 0 && health_percent[i] > 0) first_available = static_cast<int>(i);
    load[i] = std::min<std::uint32_t>(left, health_percent[i] * 100 / total_health);
    left -= load[i];
  }
  if (left != 0) load[static_cast<std::size_t>(first_available)] += left;  // rounding
  return load;
}

void PriorityLevels::rebuild(const HostSet& hosts) {
  std::vector<std::string> zones_present;
  for (const HostState& host : hosts.hosts())
    if (host.present && (settings_.subset.empty() || host.endpoint.subset == settings_.subset))
      zones_present.push_back(host.endpoint.zone);

  const auto groups = zonesByPriority(settings_.local_zone, settings_.locality, std::move(zones_present));
  levels_.clear();
  levels_.resize(groups.size());
  for (std::size_t p = 0; p < groups.size(); ++p) levels_[p].zones = groups[p];

  for (std::size_t i = 0; i < hosts.size(); ++i) {
    const HostState& host = hosts[static_cast<HostIndex>(i)];
    if (!host.present || (!settings_.subset.empty() && host.endpoint.subset != settings_.subset)) continue;
    for (PriorityLevel& level : levels_) {
      if (!std::binary_search(level.zones.begin(), level.zones.end(), host.endpoint.zone)) continue;
      level.members.push_back(static_cast<HostIndex>(i));
      if (!host.ejected) level.eligible.push_back(static_cast<HostIndex>(i));
      break;
    }
  }
  // Envoy compacts away empty priorities; groups only hold present zones, but keep it safe.
  std::erase_if(levels_, [](const PriorityLevel& level) { return level.members.empty(); });

  std::vector<std::uint32_t> health(levels_.size());
  for (std::size_t p = 0; p < levels_.size(); ++p) {
    const std::uint64_t scaled = std::uint64_t{settings_.overprovisioning_percent} * levels_[p].eligible.size() /
                                 levels_[p].members.size();
    health[p] = static_cast<std::uint32_t>(std::min<std::uint64_t>(100, scaled));
    levels_[p].health_percent = health[p];
  }
  const auto load = priorityLoadPercent(health);
  for (std::size_t p = 0; p < levels_.size(); ++p) levels_[p].load_percent = load[p];
}

std::size_t PriorityLevels::choose(std::uint64_t draw) const {
  const std::uint64_t point = draw % 100 + 1;  // 1..100
  std::uint64_t cumulative = 0;
  for (std::size_t p = 0; p < levels_.size(); ++p) {
    cumulative += levels_[p].load_percent;
    if (point <= cumulative) return p;
  }
  return 0;  // loads always sum to 100; unreachable
}

}  // namespace meshproof::lb
