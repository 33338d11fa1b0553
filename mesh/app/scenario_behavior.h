// The bridge from a scenario's `behavior:` (scenario::Behavior, as the loader reads
// it) to the application model's Behavior: both drivers (sim and live) build their
// AppInstance from the same conversion.
#pragma once
#include "mesh/app/behavior.h"
#include "mesh/scenario/plan.h"

namespace meshproof::app {

// The service time keeps its kind (fixed, exponential, or the lognormal fit the
// loader made of {p50, p99}); an absent concurrency is unlimited (0).
Behavior behaviorFromScenario(const scenario::Behavior& b);

}  // namespace meshproof::app
