// RING_HASH: Envoy's ketama-style consistent-hash ring (ring_hash_lb.cc), one ring per
// priority level.
//   - Each of a level's n hosts gets ceil(minimum_ring_size / n) entries (Envoy's equal-weight
//     sizing, capped by maximum_ring_size 8M), at stableHash("<instance>_<i>"); sorted.
//   - A request hashes to h; the pick is the first entry with hash >= h, wrapping to the
//     start (ketama_get_server; a binary search).
//   - Deviation from Envoy, by design: the ring holds every host of the level, ejected ones
//     included, and a pick walks clockwise to the first eligible entry. Ejection thus moves
//     only the ejected host's keys, to the next host on the ring; Envoy instead rebuilds a
//     ring of the healthy hosts, whose per-host entry count changes with the healthy count.
//   - Reselection for the retry host predicate: attempt k takes the k-th eligible entry
//     after the first one (Envoy: midp + attempt, "as if this host was not in the ring").
//   - Membership: because entries per host shrink as hosts are added (Envoy), adding a
//     host moves ~1/(n+1) of keys to it, and also moves the keys of each old host's dropped
//     entries; when ceil(min/n) does not change (e.g. 100 -> 101 hosts at 1024) keys only
//     move to the new host.
#pragma once
#include <cstdint>
#include <vector>

#include "mesh/loadbalancing/host_picker.h"

namespace meshproof::lb {

class RingHashPicker final : public HostPicker {
 public:
  static constexpr std::uint64_t kMaximumRingSize = 8 * 1024 * 1024;  // Envoy default

  struct Entry {
    std::uint64_t hash;
    HostIndex host;
  };

  explicit RingHashPicker(std::uint64_t minimum_ring_size) : minimum_ring_size_(minimum_ring_size) {}

  bool usesRequestHash() const override { return true; }
  void onLevelsRebuilt(const HostSet& hosts, const PriorityLevels& levels, bool membership_changed) override;
  std::optional<HostIndex> pick(HostSet& hosts, const PriorityLevels& levels, std::size_t priority,
                                const PickInput& input, Rng& rng) override;

  const std::vector<Entry>& ring(std::size_t priority) const { return rings_[priority]; }
  // Entries each of `host_count` hosts gets (Envoy's equal-weight sizing).
  static std::uint64_t entriesPerHost(std::uint64_t minimum_ring_size, std::uint64_t host_count);

 private:
  std::uint64_t minimum_ring_size_;
  std::vector<std::vector<Entry>> rings_;
};

}  // namespace meshproof::lb
