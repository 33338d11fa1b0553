// How the canary controller steers traffic (as Flagger rewrites the VirtualService):
// it sets the canary's weight in every route of the service that the analysis
// manages — routes whose destinations are the stable subset, the canary subset or the
// whole service — leaving alone a route that sends everything to the canary (a
// header-matched beta route, say). Without a VirtualService it adds one catch-all
// route split between the two.
#pragma once
#include "mesh/config/model.h"
#include "mesh/scenario/plan.h"

namespace meshproof::control {

void setCanaryWeight(config::MeshConfig& config, const scenario::Canary& canary, int weight_percent);
// The canary's weight in the first managed route of `config` (0 without one): where
// the analysis starts from.
int initialCanaryWeight(const config::MeshConfig& config, const scenario::Canary& canary);

}  // namespace meshproof::control
