// An upstream endpoint: one instance of a service, as the data plane knows it.
#pragma once
#include <string>

namespace meshproof {

struct Endpoint {
  std::string instance;  // <service>-<version>-<n>
  std::string service;
  std::string subset;    // the version name (Istio subset)
  std::string zone;      // locality
};

}  // namespace meshproof
