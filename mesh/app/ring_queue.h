// A first-in first-out queue on a ring of reusable slots: pushing hands back a slot
// to fill by assignment, so a slot's old storage (a string's buffer) is reused and a
// queue that keeps a steady size stops allocating once warmed up.
#pragma once
#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace meshproof::app {

template <typename T>
class RingQueue {
 public:
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  // The new last slot, holding stale contents: the caller overwrites every field.
  T& pushSlot() {
    if (size_ == slots_.size()) grow();
    T& slot = slots_[(head_ + size_) % slots_.size()];
    ++size_;
    return slot;
  }
  T& front() { return slots_[head_]; }
  void pop() {
    head_ = (head_ + 1) % slots_.size();
    --size_;
  }
  void clear() {
    head_ = 0;
    size_ = 0;
  }

 private:
  void grow() {
    std::vector<T> bigger(std::max<std::size_t>(8, 2 * slots_.size()));
    for (std::size_t i = 0; i < size_; ++i) bigger[i] = std::move(slots_[(head_ + i) % slots_.size()]);
    slots_.swap(bigger);
    head_ = 0;
  }

  std::vector<T> slots_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace meshproof::app
