// One direction of a live sidecar's host link under a bandwidth fault, as the
// simulator narrows the host's SimGrid link (both ways). What the sidecar sends to
// its peers (up) or receives from them (down) crosses it, and the sidecar acts on a
// message (writes it, or hands it to the core) once it is through. The link is shared
// as SimGrid shares one: every flow (a connection) with a message crossing gets an
// equal part of the rate (processor sharing), so a small answer is not stuck behind
// a large one on another connection. Within a flow messages go one after another, as
// on a TCP connection, and a close (0 bytes) waits for what came before it. When the
// fault ends the link is at full speed again and what it holds goes at once, in the
// order it came. The app beside the sidecar is on the same host: their traffic does
// not cross it.
#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <vector>

#include "mesh/core/time.h"

namespace meshproof::live {

class LinkDirection {
 public:
  using Flow = std::uint64_t;

  LinkDirection(boost::asio::io_context& io, std::function<TimeNs()> now) : now_(std::move(now)), timer_(io) {}

  void narrow(std::int64_t bits_per_second);
  void widen();
  // Whether what passes now waits (the link is narrowed, or holds something still).
  bool holding() const { return bytes_per_ns_ > 0 || held_ > 0 || !through_.empty(); }

  // `act` once the `bytes` passed now on `flow` are through (at once when nothing is
  // holding).
  void pass(Flow flow, std::size_t bytes, std::function<void()> act);

  void stop();

 private:
  struct Held {
    double remaining;     // bytes still to cross
    std::uint64_t order;  // when it came, among everything the link took
    std::function<void()> act;
  };

  // Moves the link on to `now`: what is through goes to through_, in the order it got
  // through (ties: the order it came). At full speed everything held is through.
  void advance(TimeNs now);
  // Moves the heads of the flows that have nothing left to cross to through_ (in the
  // order they came).
  void takeFinished();
  // What is left of the flows' heads, the least (flows_ not empty).
  double smallestHead() const;
  // Acts on what is through (from the timer only: never inside a caller's pass()).
  void settle();
  // The timer: at once when something is through, else when the next head will be.
  void arm();

  std::function<TimeNs()> now_;
  boost::asio::steady_timer timer_;
  double bytes_per_ns_ = 0;  // 0: full speed
  TimeNs advanced_to_ = 0;
  std::map<Flow, std::deque<Held>> flows_;  // only flows holding something
  std::size_t held_ = 0;           // messages in flows_
  std::vector<Held> through_;      // through, not yet acted on
  std::uint64_t next_order_ = 0;
  bool stopped_ = false;
};

}  // namespace meshproof::live
