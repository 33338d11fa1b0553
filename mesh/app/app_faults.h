// The faults that act on an application process (SCENARIO.md faults of type
// latency, abort and cpu): a slow process, a failing process, a starved CPU. Plain
// state plus the draws each fault makes; the AppInstance applies them.
#pragma once
#include <optional>

#include "mesh/core/rng.h"
#include "mesh/core/time.h"

namespace meshproof::app {

class AppFaults {
 public:
  // Extra service time, uniform over the integers [delay - jitter, delay + jitter],
  // never negative. Throws std::invalid_argument when delay or jitter is negative.
  void setLatency(DurationNs delay_ns, DurationNs jitter_ns);
  void clearLatency() { latency_active_ = false; }
  // `percentage` (0-100) of arriving requests are answered at once with
  // `http_status` (100-599). Throws std::invalid_argument outside those ranges.
  void setAbort(int http_status, double percentage);
  void clearAbort() { abort_active_ = false; }
  // Service times are divided by `factor` (0.25 = four times slower, 1 = normal).
  // Throws std::invalid_argument unless factor is finite and > 0.
  void setCpuFactor(double factor);

  // The extra delay for a request starting service now: 0 without a latency fault;
  // draws from `rng` only when the jitter is non-zero.
  DurationNs drawExtraDelay(Rng& rng) const;
  // The status to abort an arriving request with, or nullopt to let it in. Draws
  // from `rng` only while an abort fault with 0 < percentage < 100 is active.
  std::optional<int> drawAbort(Rng& rng) const;
  double cpuFactor() const { return cpu_factor_; }

  bool latencyActive() const { return latency_active_; }
  bool abortActive() const { return abort_active_; }

 private:
  bool latency_active_ = false;
  DurationNs delay_ns_ = 0;
  DurationNs jitter_ns_ = 0;
  bool abort_active_ = false;
  int abort_status_ = 0;
  double abort_percentage_ = 0;
  double cpu_factor_ = 1.0;
};

}  // namespace meshproof::app
