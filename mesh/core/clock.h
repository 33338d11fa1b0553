// The Clock seam: the only way the core learns the time. The simulator hands in
// SimGrid's clock, live mode the steady/system clocks, tests a ManualClock.
#pragma once
#include "mesh/core/time.h"

namespace meshproof {

class Clock {
 public:
  virtual ~Clock() = default;
  // Monotonic time, for deadlines, latencies and rates.
  virtual TimeNs now() const = 0;
  // Wall-clock time (nanoseconds since the Unix epoch), for certificates and logs.
  // Chaos may skew it per node; it may jump.
  virtual TimeNs wallNow() const = 0;
};

// A clock stepped by hand: tests and the simulator's per-node view.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimeNs start = 0, TimeNs wall_epoch_ns = 0) : now_(start), wall_offset_(wall_epoch_ns) {}
  TimeNs now() const override { return now_; }
  TimeNs wallNow() const override { return now_ + wall_offset_; }
  void set(TimeNs t) { now_ = t; }
  void advance(DurationNs d) { now_ += d; }
  void skewWall(DurationNs offset) { wall_offset_ += offset; }

 private:
  TimeNs now_;
  TimeNs wall_offset_;
};

}  // namespace meshproof
