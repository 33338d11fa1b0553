// The outbox of a sans-I/O state machine: actions it queues while handling an input,
// handed to its driver one at a time, in order, by poll(). empty() lets a driver skip
// a poll (and the construction of an action to poll into) when nothing is queued.
#pragma once
#include <cstddef>
#include <utility>
#include <vector>

namespace meshproof {

template <class Action>
class ActionQueue {
 public:
  void push_back(Action action) { actions_.push_back(std::move(action)); }
  template <class... Args>
  void emplace_back(Args&&... args) {
    actions_.emplace_back(std::forward<Args>(args)...);
  }
  bool empty() const { return next_ >= actions_.size(); }
  // Moves the next action into `out`; false when there is none.
  bool poll(Action& out) {
    if (empty()) {
      clear();
      return false;
    }
    out = std::move(actions_[next_++]);
    if (next_ == actions_.size()) clear();  // keeps the capacity for the next burst
    return true;
  }
  void clear() {
    actions_.clear();
    next_ = 0;
  }

 private:
  std::vector<Action> actions_;
  std::size_t next_ = 0;
};

}  // namespace meshproof
