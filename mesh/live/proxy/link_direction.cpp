// A narrowed link direction shared fairly between its flows (processor sharing).
#include "mesh/live/proxy/link_direction.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace meshproof::live {
namespace {

// What is left of a message below this is through (the shares are exact in the step
// that finishes a head; this only absorbs rounding in the others).
constexpr double kThroughBytes = 1e-6;

}  // namespace

void LinkDirection::narrow(std::int64_t bits_per_second) {
  advance(now_());  // what crossed so far crossed at the old rate
  bytes_per_ns_ = static_cast<double>(bits_per_second) / 8.0 / static_cast<double>(kSecond);
  arm();
}

void LinkDirection::widen() {
  advance(now_());
  bytes_per_ns_ = 0;
  arm();
}

void LinkDirection::pass(Flow flow, std::size_t bytes, std::function<void()> act) {
  if (!holding()) return act();
  const TimeNs now = now_();
  advance(now);  // the flows already crossing shared the link without this one until now
  flows_[flow].push_back(Held{static_cast<double>(bytes), next_order_++, std::move(act)});
  ++held_;
  advance(now);  // through at once: at full speed (behind what is held), or a close with nothing before it
  arm();
}

void LinkDirection::stop() {
  stopped_ = true;
  timer_.cancel();
  flows_.clear();
  through_.clear();
  held_ = 0;
}

void LinkDirection::advance(TimeNs now) {
  double left = static_cast<double>(std::max<TimeNs>(0, now - advanced_to_));
  advanced_to_ = std::max(advanced_to_, now);
  if (bytes_per_ns_ <= 0) {  // full speed: nothing left to cross
    for (auto& [flow, queue] : flows_)
      for (Held& h : queue) h.remaining = 0;
  }
  takeFinished();
  while (!flows_.empty()) {
    // Each flow's head gets an equal share; the smallest remainder finishes first.
    const double n = static_cast<double>(flows_.size());
    const double smallest = smallestHead();
    const double until_through = smallest * n / bytes_per_ns_;
    if (until_through > left) {
      const double share = left * bytes_per_ns_ / n;
      for (auto& [flow, queue] : flows_) queue.front().remaining -= share;
      return;
    }
    for (auto& [flow, queue] : flows_) queue.front().remaining -= smallest;
    left -= until_through;
    takeFinished();
  }
}

void LinkDirection::takeFinished() {
  std::vector<Held> finished;
  for (auto it = flows_.begin(); it != flows_.end();) {
    auto& queue = it->second;
    while (!queue.empty() && queue.front().remaining <= kThroughBytes) {
      finished.push_back(std::move(queue.front()));
      queue.pop_front();
      --held_;
    }
    it = queue.empty() ? flows_.erase(it) : std::next(it);
  }
  std::sort(finished.begin(), finished.end(), [](const Held& a, const Held& b) { return a.order < b.order; });
  for (Held& h : finished) through_.push_back(std::move(h));
}

double LinkDirection::smallestHead() const {
  double smallest = std::numeric_limits<double>::infinity();
  for (const auto& [flow, queue] : flows_) smallest = std::min(smallest, queue.front().remaining);
  return smallest;
}

void LinkDirection::settle() {
  advance(now_());
  std::vector<Held> acting;
  acting.swap(through_);
  for (Held& h : acting) h.act();  // may pass more: they wait for the next round
  arm();
}

void LinkDirection::arm() {
  if (stopped_ || (through_.empty() && held_ == 0)) return;
  std::chrono::nanoseconds wait{0};
  if (through_.empty() && bytes_per_ns_ > 0) {
    const double at = static_cast<double>(advanced_to_) + smallestHead() * static_cast<double>(flows_.size()) / bytes_per_ns_;
    wait = std::chrono::nanoseconds(std::max<TimeNs>(0, static_cast<TimeNs>(std::ceil(at)) - now_()));
  }
  timer_.expires_after(wait);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || stopped_) return;
    settle();
  });
}

}  // namespace meshproof::live
