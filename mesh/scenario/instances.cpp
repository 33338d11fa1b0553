// Expanding versions into instances: `<service>-<version>-<n>`, n 0-based per
// version, zones assigned round-robin over the version's zones, and an index over
// the service's instances (versions in file order) that fault targets use.
#include <map>

#include "mesh/scenario/section_readers.h"

namespace meshproof::scenario {

std::vector<Instance> expandInstances(const NodeReader& services_node, const std::vector<Service>& services) {
  std::vector<Instance> instances;
  std::map<std::string, std::size_t> position_by_name;
  const auto service_nodes = services_node.items();
  for (std::size_t s = 0; s < services.size(); ++s) {
    const Service& service = services[s];
    const auto version_nodes = service_nodes[s].required("versions").items();
    int index_in_service = 0;
    for (std::size_t v = 0; v < service.versions.size(); ++v) {
      const Version& version = service.versions[v];
      for (int n = 0; n < version.replicas; ++n) {
        Instance instance;
        instance.name = service.name + "-" + version.name + "-" + std::to_string(n);
        instance.service = service.name;
        instance.version = version.name;
        instance.namespace_ = service.namespace_;
        instance.service_account = service.service_account;
        instance.zone = version.zones[static_cast<std::size_t>(n) % version.zones.size()];
        instance.index_in_service = index_in_service++;
        instance.index_in_version = n;
        auto [seen, inserted] = position_by_name.emplace(instance.name, instances.size());
        if (!inserted) {
          const Instance& other = instances[seen->second];
          version_nodes[v].required("name").fail("instance name \"" + instance.name +
                                                 "\" is already taken by service " + other.service + " version " +
                                                 other.version + "; rename the service or the version");
        }
        instances.push_back(std::move(instance));
      }
    }
  }
  return instances;
}

}  // namespace meshproof::scenario
