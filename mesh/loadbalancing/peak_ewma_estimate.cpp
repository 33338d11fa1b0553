// Implementation of the Peak-EWMA round-trip-time estimate (see peak_ewma_estimate.h).
#include "mesh/loadbalancing/peak_ewma_estimate.h"

#include <cmath>

namespace meshproof::lb {

PeakEwmaEstimate::PeakEwmaEstimate(DurationNs default_rtt) : rtt_ns_(static_cast<double>(default_rtt)) {}

double PeakEwmaEstimate::observe(DurationNs rtt, TimeNs now, DurationNs decay) {
  return update(static_cast<double>(rtt < 0 ? 0 : rtt), now, decay);
}

double PeakEwmaEstimate::decayTo(TimeNs now, DurationNs decay) { return update(0.0, now, decay); }

void PeakEwmaEstimate::anchor(TimeNs now) {
  if (anchored_) return;
  anchored_ = true;
  updated_at_ = now;
}

double PeakEwmaEstimate::update(double sample_ns, TimeNs now, DurationNs decay) {
  anchor(now);
  if (rtt_ns_ < sample_ns) {
    rtt_ns_ = sample_ns;  // peak: the worst case is used at once
  } else {
    const double elapsed_ns = now > updated_at_ ? static_cast<double>(now - updated_at_) : 0.0;
    const double weight = std::exp(-elapsed_ns / static_cast<double>(decay));
    rtt_ns_ = rtt_ns_ * weight + sample_ns * (1.0 - weight);
  }
  if (now > updated_at_) updated_at_ = now;
  return rtt_ns_;
}

}  // namespace meshproof::lb
