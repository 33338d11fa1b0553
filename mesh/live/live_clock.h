// The Clock seam in live mode: monotonic time from CLOCK_MONOTONIC, counted from the
// run's start `t0` (every process of a run shares it, so their trace times line
// up), and the system's wall clock, which the clock-skew fault can move.
#pragma once
#include <chrono>

#include "mesh/core/clock.h"

namespace meshproof::live {

// CLOCK_MONOTONIC in nanoseconds (the same for every process on the machine).
inline TimeNs monotonicNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
inline TimeNs systemWallNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class LiveClock final : public Clock {
 public:
  explicit LiveClock(TimeNs t0) : t0_(t0) {}
  TimeNs now() const override { return monotonicNs() - t0_; }
  TimeNs wallNow() const override { return systemWallNs() + skew_; }
  void skewWall(DurationNs offset) { skew_ += offset; }
  DurationNs skew() const { return skew_; }
  TimeNs t0() const { return t0_; }

 private:
  TimeNs t0_;
  DurationNs skew_ = 0;
};

}  // namespace meshproof::live
