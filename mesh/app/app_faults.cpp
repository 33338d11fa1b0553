// Validation and draws of the application-process faults (see app_faults.h).
#include "mesh/app/app_faults.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace meshproof::app {

void AppFaults::setLatency(DurationNs delay_ns, DurationNs jitter_ns) {
  if (delay_ns < 0 || jitter_ns < 0) throw std::invalid_argument("latency fault delay and jitter must not be negative");
  latency_active_ = true;
  delay_ns_ = delay_ns;
  jitter_ns_ = jitter_ns;
}

void AppFaults::setAbort(int http_status, double percentage) {
  if (http_status < 100 || http_status > 599) throw std::invalid_argument("abort fault status must be 100-599");
  if (!(percentage >= 0 && percentage <= 100)) throw std::invalid_argument("abort fault percentage must be 0-100");
  abort_active_ = true;
  abort_status_ = http_status;
  abort_percentage_ = percentage;
}

void AppFaults::setCpuFactor(double factor) {
  if (!std::isfinite(factor) || factor <= 0) throw std::invalid_argument("cpu factor must be finite and > 0");
  cpu_factor_ = factor;
}

DurationNs AppFaults::drawExtraDelay(Rng& rng) const {
  if (!latency_active_) return 0;
  if (jitter_ns_ == 0) return delay_ns_;
  const DurationNs low = delay_ns_ - jitter_ns_;
  const auto span = static_cast<std::uint64_t>(2 * jitter_ns_) + 1;
  return std::max<DurationNs>(0, low + static_cast<DurationNs>(rng.below(span)));
}

std::optional<int> AppFaults::drawAbort(Rng& rng) const {
  if (!abort_active_ || !rng.chancePercent(abort_percentage_)) return std::nullopt;
  return abort_status_;
}

}  // namespace meshproof::app
