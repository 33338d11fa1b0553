// The `services:` section: each service's namespace, service account and versions
// (replicas, zones, behavior). Names are unique: services across the file, versions
// within their service.
#include <map>

#include "mesh/scenario/behavior_reader.h"
#include "mesh/scenario/reader_helpers.h"
#include "mesh/scenario/section_readers.h"

namespace meshproof::scenario {
namespace {

constexpr int kMaxReplicas = 1000;  // per version; a simulated host costs an actor

Version readVersion(const NodeReader& node, const Network& network) {
  node.expectOnly({"name", "replicas", "zones", "behavior"});
  Version version;
  version.name = readName(node.required("name"));
  if (auto replicas = node.optional("replicas"))
    version.replicas = static_cast<int>(replicas->asIntInRange(1, kMaxReplicas));
  if (auto zones = node.optional("zones")) {
    std::map<std::string, int> line_by_zone;
    for (const auto& item : zones->nonEmptyItems()) {
      std::string zone = readZoneReference(item, network);
      auto [seen, inserted] = line_by_zone.emplace(zone, item.line());
      if (!inserted) item.fail("zone \"" + zone + "\" is listed twice");
      version.zones.push_back(std::move(zone));
    }
  } else {
    version.zones.push_back(network.zones.front().name);
  }
  version.behavior = readBehavior(node.required("behavior"));
  return version;
}

Service readService(const NodeReader& node, const Network& network) {
  node.expectOnly({"name", "namespace", "serviceAccount", "versions"});
  Service service;
  service.name = readName(node.required("name"));
  node.readIfPresent("namespace", service.namespace_, readName);
  service.service_account = service.name;
  node.readIfPresent("serviceAccount", service.service_account, readName);
  std::map<std::string, int> line_by_version;
  for (const auto& item : node.required("versions").nonEmptyItems()) {
    Version version = readVersion(item, network);
    const NodeReader name = item.required("name");
    auto [seen, inserted] = line_by_version.emplace(version.name, name.line());
    if (!inserted)
      name.fail("duplicate version \"" + version.name + "\" of " + service.name + " (first at line " +
                std::to_string(seen->second) + ")");
    service.versions.push_back(std::move(version));
  }
  return service;
}

}  // namespace

std::vector<Service> readServices(const NodeReader& node, const Network& network) {
  std::vector<Service> services;
  std::map<std::string, int> line_by_name;
  for (const auto& item : node.nonEmptyItems()) {
    Service service = readService(item, network);
    const NodeReader name = item.required("name");
    auto [seen, inserted] = line_by_name.emplace(service.name, name.line());
    if (!inserted)
      name.fail("duplicate service \"" + service.name + "\" (first at line " + std::to_string(seen->second) + ")");
    services.push_back(std::move(service));
  }
  return services;
}

}  // namespace meshproof::scenario
