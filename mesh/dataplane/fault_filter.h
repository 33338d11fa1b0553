// The fault-injection filter (Envoy's HTTP fault filter as Istio configures it): a
// share of requests is delayed (flag DI), a share aborted with a status (flag FI).
// Both are drawn independently; an aborted request is aborted after its delay.
#pragma once
#include "mesh/config/model.h"
#include "mesh/core/http.h"
#include "mesh/core/rng.h"

namespace meshproof::dataplane {

struct FaultDecision {
  DurationNs delay_ns = 0;  // 0: not delayed
  int abort_status = 0;     // 0: not aborted
  ResponseFlags flags() const {
    return (delay_ns > 0 ? kDelayInjected : kNoFlags) | (abort_status != 0 ? kFaultInjected : kNoFlags);
  }
};

FaultDecision decideFault(const config::FaultPolicy& policy, Rng& rng);

}  // namespace meshproof::dataplane
