// Shared helpers for the upstream tests: endpoints, settings and event filters.
#pragma once
#include <string>
#include <vector>

#include "mesh/core/endpoint.h"
#include "mesh/core/events.h"

namespace meshproof::upstream::testing {

inline std::vector<Endpoint> makeHosts(int count, const std::string& service = "payments") {
  std::vector<Endpoint> hosts;
  for (int i = 0; i < count; ++i)
    hosts.push_back(Endpoint{service + "-v1-" + std::to_string(i), service, "v1", "zone-a"});
  return hosts;
}

}  // namespace meshproof::upstream::testing
