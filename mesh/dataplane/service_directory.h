// What a sidecar knows about the services of the mesh: namespace, service account
// and endpoints of each service. The simulator or the control plane fills it in.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "mesh/core/endpoint.h"

namespace meshproof::dataplane {

struct ServiceInfo {
  std::string name;
  std::string namespace_ = "default";
  std::string service_account;  // defaults to the service name
  std::vector<Endpoint> endpoints;
};

// Service discovery's answer (Envoy's EDS): per service, the instances listed as
// endpoints, sorted. A service missing from the table has no endpoints.
using EndpointTable = std::map<std::string, std::vector<std::string>>;

class ServiceDirectory {
 public:
  void add(ServiceInfo info);
  const ServiceInfo* find(const std::string& service) const;
  const std::map<std::string, ServiceInfo>& all() const { return services_; }

 private:
  std::map<std::string, ServiceInfo> services_;
};

}  // namespace meshproof::dataplane
