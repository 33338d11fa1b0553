// Helpers for the load-balancing tests: endpoints named like the scenario's instances
// (<service>-<version>-<n>) and a tally of picks.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "mesh/core/endpoint.h"
#include "mesh/loadbalancing/host_set.h"

namespace meshproof::lb::testing {

inline Endpoint endpoint(const std::string& service, const std::string& subset, int n, const std::string& zone) {
  return Endpoint{service + "-" + subset + "-" + std::to_string(n), service, subset, zone};
}

// `count` endpoints of payments-v1 in `zone`, numbered from `first`.
inline std::vector<Endpoint> endpoints(int count, const std::string& zone = "zone-a", int first = 0,
                                       const std::string& subset = "v1") {
  std::vector<Endpoint> out;
  for (int i = 0; i < count; ++i) out.push_back(endpoint("payments", subset, first + i, zone));
  return out;
}

inline double share(const std::map<HostIndex, int>& counts, HostIndex host, int total) {
  auto it = counts.find(host);
  return it == counts.end() ? 0.0 : static_cast<double>(it->second) / total;
}

}  // namespace meshproof::lb::testing
