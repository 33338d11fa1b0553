// One host's Peak-EWMA round-trip-time estimate, as linkerd2-proxy keeps it through
// tower's load::PeakEwma (tower/src/load/peak_ewma.rs, RttEstimate::update/decay):
//   - a sample above the estimate replaces it at once (peak sensitivity);
//   - a sample at or below it blends in: w = exp(-elapsed / decay),
//     estimate = estimate * w + sample * (1 - w), elapsed since the last update;
//   - reading the load decays the estimate towards 0 (an update with a 0 sample) and
//     records that read as the last update, exactly as tower's load() does.
// Linkerd's defaults (linkerd2-proxy app/outbound: EWMA_DEFAULT_RTT, EWMA_DECAY): 30 ms, 10 s.
#pragma once
#include "mesh/core/time.h"

namespace meshproof::lb {

struct PeakEwmaSettings {
  DurationNs default_rtt = 30 * kMillisecond;  // estimate of a host with no samples yet
  DurationNs decay = 10 * kSecond;             // time constant tau of the decay
};

class PeakEwmaEstimate {
 public:
  explicit PeakEwmaEstimate(DurationNs default_rtt = PeakEwmaSettings{}.default_rtt);

  // Folds in one observed round trip that ended at `now`; returns the new estimate (ns).
  double observe(DurationNs rtt, TimeNs now, DurationNs decay);
  // Decays the estimate towards 0 up to `now` (tower's RttEstimate::decay); returns it (ns).
  double decayTo(TimeNs now, DurationNs decay);
  // Starts the decay clock if nothing did yet (tower starts it when the endpoint is created;
  // the core learns the time only with the first request or read).
  void anchor(TimeNs now);
  // The estimate as of the last update, without decay (ns).
  double estimateNs() const { return rtt_ns_; }

 private:
  double update(double sample_ns, TimeNs now, DurationNs decay);

  double rtt_ns_;
  // tower anchors the default estimate at the endpoint's creation; the core has no clock
  // at construction, so the first request start, observe or decay anchors it.
  TimeNs updated_at_ = 0;
  bool anchored_ = false;
};

}  // namespace meshproof::lb
