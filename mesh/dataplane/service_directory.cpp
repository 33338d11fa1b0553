// The sidecar's view of the mesh's services.
#include "mesh/dataplane/service_directory.h"

namespace meshproof::dataplane {

void ServiceDirectory::add(ServiceInfo info) {
  if (info.service_account.empty()) info.service_account = info.name;
  const std::string name = info.name;
  services_[name] = std::move(info);
}

const ServiceInfo* ServiceDirectory::find(const std::string& service) const {
  auto it = services_.find(service);
  return it == services_.end() ? nullptr : &it->second;
}

}  // namespace meshproof::dataplane
