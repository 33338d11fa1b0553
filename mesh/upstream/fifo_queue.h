// A first-in first-out queue on one vector: popping advances a head index and the
// storage is compacted only when the dead prefix dominates, so a queue that keeps
// a steady size stops allocating once warmed up.
#pragma once
#include <cstddef>
#include <vector>

namespace meshproof::upstream {

template <typename T>
class FifoQueue {
 public:
  bool empty() const { return head_ == items_.size(); }
  std::size_t size() const { return items_.size() - head_; }
  const T& front() const { return items_[head_]; }
  void push(const T& item) { items_.push_back(item); }
  T pop() {
    T item = items_[head_++];
    if (head_ == items_.size()) {
      items_.clear();
      head_ = 0;
    } else if (head_ >= 32 && head_ * 2 >= items_.size()) {
      items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
    return item;
  }
  // Removes the first item equal to `item`; false when absent. Linear in size().
  bool remove(const T& item) {
    for (std::size_t i = head_; i < items_.size(); ++i) {
      if (!(items_[i] == item)) continue;
      items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(i));
      if (head_ == items_.size()) {
        items_.clear();
        head_ = 0;
      }
      return true;
    }
    return false;
  }

 private:
  std::vector<T> items_;
  std::size_t head_ = 0;
};

}  // namespace meshproof::upstream
