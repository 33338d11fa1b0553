// Timers as data: a deterministic min-queue of (deadline, insertion order) entries.
// Cancelling is lazy: an owner keeps the token it was given and ignores entries whose
// token is stale, so arming and disarming never search the queue.
#pragma once
#include <cstdint>
#include <queue>
#include <vector>

#include "mesh/core/time.h"

namespace meshproof::dataplane {

template <typename Payload>
class TimerQueue {
 public:
  struct Entry {
    TimeNs at;
    std::uint64_t sequence;
    Payload payload;
  };

  void arm(TimeNs at, Payload payload) { heap_.push(Entry{at, next_sequence_++, payload}); }
  TimeNs nextDeadline() const { return heap_.empty() ? kNever : heap_.top().at; }
  bool empty() const { return heap_.empty(); }
  // Removes and returns the earliest entry due at or before `now`.
  bool popDue(TimeNs now, Entry& out) {
    if (heap_.empty() || heap_.top().at > now) return false;
    out = heap_.top();
    heap_.pop();
    return true;
  }

 private:
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const {
      return a.at != b.at ? a.at > b.at : a.sequence > b.sequence;
    }
  };
  std::priority_queue<Entry, std::vector<Entry>, Later> heap_;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace meshproof::dataplane
