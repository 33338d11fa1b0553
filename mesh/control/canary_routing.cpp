// Rewriting the weights of the routes a canary analysis manages.
#include "mesh/control/canary_routing.h"

#include <algorithm>

namespace meshproof::control {
namespace {

bool managed(const config::HttpRoute& route, const scenario::Canary& canary) {
  const bool only_canary = route.route.size() == 1 && route.route[0].subset == canary.canary;
  if (only_canary) return false;
  return std::all_of(route.route.begin(), route.route.end(), [&](const config::RouteDestination& d) {
    return d.subset.empty() || d.subset == canary.stable || d.subset == canary.canary;
  });
}

}  // namespace

void setCanaryWeight(config::MeshConfig& config, const scenario::Canary& canary, int weight_percent) {
  const std::vector<config::RouteDestination> split{{canary.stable, 100 - weight_percent},
                                                     {canary.canary, weight_percent}};
  for (auto& vs : config.traffic) {
    if (vs.service != canary.service) continue;
    for (auto& route : vs.http)
      if (managed(route, canary)) route.route = split;
    return;
  }
  config::VirtualService vs;
  vs.service = canary.service;
  config::HttpRoute route;
  route.name = canary.service + ".canary";
  route.route = split;
  vs.http.push_back(route);
  config.traffic.push_back(std::move(vs));
}

int initialCanaryWeight(const config::MeshConfig& config, const scenario::Canary& canary) {
  const config::VirtualService* vs = config.virtualService(canary.service);
  if (vs == nullptr) return 0;
  for (const auto& route : vs->http) {
    if (!managed(route, canary)) continue;
    int weight = 0;
    for (const auto& d : route.route)
      if (d.subset == canary.canary) weight += d.weight;
    return weight;
  }
  return 0;
}

}  // namespace meshproof::control
