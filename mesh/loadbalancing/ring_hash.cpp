// Implementation of the ketama ring-hash picker (see ring_hash.h).
#include "mesh/loadbalancing/ring_hash.h"

#include <algorithm>
#include <string>

namespace meshproof::lb {

std::uint64_t RingHashPicker::entriesPerHost(std::uint64_t minimum_ring_size, std::uint64_t host_count) {
  if (host_count == 0) return 0;
  const std::uint64_t wanted = (minimum_ring_size + host_count - 1) / host_count;
  const std::uint64_t cap = std::max<std::uint64_t>(1, kMaximumRingSize / host_count);
  return std::max<std::uint64_t>(1, std::min(wanted, cap));
}

void RingHashPicker::onLevelsRebuilt(const HostSet& hosts, const PriorityLevels& levels, bool membership_changed) {
  if (!membership_changed && rings_.size() == levels.size()) return;  // ejection only: keep positions
  rings_.assign(levels.size(), {});
  std::string key;
  for (std::size_t p = 0; p < levels.size(); ++p) {
    const auto& members = levels[p].members;
    const std::uint64_t per_host = entriesPerHost(minimum_ring_size_, members.size());
    auto& ring = rings_[p];
    ring.reserve(per_host * members.size());
    for (HostIndex host : members) {
      for (std::uint64_t i = 0; i < per_host; ++i) {
        key = hosts[host].endpoint.instance;
        key += '_';
        key += std::to_string(i);
        ring.push_back(Entry{stableHash(key), host});
      }
    }
    std::sort(ring.begin(), ring.end(),
              [](const Entry& a, const Entry& b) { return a.hash != b.hash ? a.hash < b.hash : a.host < b.host; });
  }
}

std::optional<HostIndex> RingHashPicker::pick(HostSet& hosts, const PriorityLevels& levels, std::size_t priority,
                                              const PickInput& input, Rng&) {
  const auto& ring = rings_[priority];
  if (ring.empty() || levels[priority].eligible.empty()) return std::nullopt;
  auto it = std::lower_bound(ring.begin(), ring.end(), input.request_hash,
                             [](const Entry& entry, std::uint64_t h) { return entry.hash < h; });
  std::size_t index = it == ring.end() ? 0 : static_cast<std::size_t>(it - ring.begin());
  // Terminates: the level has an eligible host, and every member has entries on the ring.
  std::uint32_t eligible_to_skip = input.attempt;
  while (true) {
    const HostIndex host = ring[index].host;
    if (!hosts[host].ejected) {
      if (eligible_to_skip == 0) return host;
      --eligible_to_skip;
    }
    index = index + 1 == ring.size() ? 0 : index + 1;
  }
}

}  // namespace meshproof::lb
