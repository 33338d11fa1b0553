// Percentage draws for injected delays and aborts.
#include "mesh/dataplane/fault_filter.h"

namespace meshproof::dataplane {

FaultDecision decideFault(const config::FaultPolicy& policy, Rng& rng) {
  FaultDecision d;
  if (policy.delay && rng.chancePercent(policy.delay->percentage)) d.delay_ns = policy.delay->fixed_delay;
  if (policy.abort && rng.chancePercent(policy.abort->percentage)) d.abort_status = policy.abort->http_status;
  return d;
}

}  // namespace meshproof::dataplane
