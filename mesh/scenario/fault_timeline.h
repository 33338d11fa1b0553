// A scenario's faults in time order, as both drivers inject them: each fault starts
// at `at` and stops at `at + duration` (a crash "stops" when `restartAfter` brings
// the process back); nothing starts or stops at or after the end of the run. And
// the FaultEvent each start and stop is reported as.
#pragma once
#include <cstddef>
#include <vector>

#include "mesh/core/events.h"
#include "mesh/scenario/plan.h"

namespace meshproof::scenario {

struct FaultStep {
  TimeNs at = 0;
  std::size_t fault = 0;  // index into Plan::faults
  bool start = true;
};

// Stable in file order for equal times.
std::vector<FaultStep> faultTimeline(const Plan& plan);

// The event of a step: type, the target as written ("payments v1", "zone-a <-> zone-b"),
// the instances it covers.
FaultEvent faultEvent(const Fault& fault, bool started);

}  // namespace meshproof::scenario
