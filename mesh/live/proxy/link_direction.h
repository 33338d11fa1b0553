// One direction of a live sidecar's host link under a bandwidth fault, as the
// simulator narrows the host's SimGrid link (both ways). What the sidecar sends to
// its peers (up) or receives from them (down) crosses it one message after another:
// a message is through when the bytes before it are and its own have passed at the
// rate, and the sidecar acts on it then (writes it, or hands it to the core). A close
// waits for what came before it. When the fault ends the link is at full speed
// again and what it holds goes at once, in order. The app beside the sidecar is on
// the same host: their traffic does not cross it.
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>

#include "mesh/core/time.h"

namespace meshproof::live {

class LinkDirection {
 public:
  LinkDirection(boost::asio::io_context& io, std::function<TimeNs()> now) : now_(std::move(now)), timer_(io) {}

  void narrow(std::int64_t bits_per_second) { ns_per_byte_ = 8.0 * kSecond / static_cast<double>(bits_per_second); }
  void widen() {
    ns_per_byte_ = 0;
    free_at_ = 0;
    for (auto& h : held_) h.due = 0;
    if (!held_.empty()) arm();
  }
  // Whether what passes now waits (the link is narrowed, or holds something still).
  bool holding() const { return ns_per_byte_ > 0 || !held_.empty(); }

  // `act` once `bytes` passed now are through (at once when nothing is holding).
  void pass(std::size_t bytes, std::function<void()> act) {
    if (!holding()) return act();
    const TimeNs now = now_();
    if (ns_per_byte_ > 0 && bytes > 0)
      free_at_ = std::max(free_at_, now) + static_cast<DurationNs>(static_cast<double>(bytes) * ns_per_byte_);
    const TimeNs due = std::max({free_at_, now, held_.empty() ? TimeNs{0} : held_.back().due});
    held_.push_back(Held{due, std::move(act)});
    if (held_.size() == 1) arm();
  }

  void stop() {
    stopped_ = true;
    timer_.cancel();
    held_.clear();
  }

 private:
  struct Held {
    TimeNs due;
    std::function<void()> act;
  };

  void arm() {
    timer_.expires_after(std::chrono::nanoseconds(std::max<TimeNs>(0, held_.front().due - now_())));
    timer_.async_wait([this](boost::system::error_code ec) {
      if (ec || stopped_) return;
      while (!held_.empty() && held_.front().due <= now_()) {
        std::function<void()> act = std::move(held_.front().act);
        held_.pop_front();
        act();
      }
      if (!held_.empty()) arm();
    });
  }

  std::function<TimeNs()> now_;
  boost::asio::steady_timer timer_;
  double ns_per_byte_ = 0;
  TimeNs free_at_ = 0;  // when the last message taken is through
  std::deque<Held> held_;
  bool stopped_ = false;
};

}  // namespace meshproof::live
