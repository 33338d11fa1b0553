// Fault targets: {zone} or {service, version?, instance?}, resolved to the instances
// they cover. `instance` counts from 0 over the service's instances (versions in
// file order), or over the version's when a version is given. A target that covers
// no instance is an error.
#include "mesh/scenario/reader_helpers.h"
#include "mesh/scenario/section_readers.h"

namespace meshproof::scenario {
namespace {

Target readZoneTarget(const NodeReader& node, const Plan& plan) {
  for (const std::string_view key : {"version", "instance"})
    if (auto field = node.optional(key)) field->fail("applies to a service target, not to a zone");
  const NodeReader zone_node = node.required("zone");
  Target target;
  target.spec.zone = readZoneReference(zone_node, plan.network);
  for (const auto& instance : plan.instances)
    if (instance.zone == target.spec.zone) target.instances.push_back(instance.name);
  if (target.instances.empty()) zone_node.fail("no instance runs in zone \"" + target.spec.zone + "\"");
  return target;
}

Target readServiceTarget(const NodeReader& node, const Plan& plan) {
  Target target;
  const Service& service = readServiceReference(node.required("service"), plan);
  target.spec.service = service.name;
  if (auto version = node.optional("version")) target.spec.version = readVersionReference(*version, service);
  const auto pool = plan.instancesOf(service.name, target.spec.version);
  if (auto instance = node.optional("instance")) {
    const int index = instance->asNonNegativeInt();
    if (static_cast<std::size_t>(index) >= pool.size()) {
      const std::string owner = service.name + (target.spec.version ? " version " + *target.spec.version : "");
      instance->fail("there is no instance " + std::to_string(index) + ": " + owner + " has " +
                     std::to_string(pool.size()) + (pool.size() == 1 ? " instance (0)" : " instances (0-" +
                     std::to_string(pool.size() - 1) + ")"));
    }
    target.spec.instance = index;
    target.instances.push_back(pool[static_cast<std::size_t>(index)]->name);
  } else {
    for (const Instance* member : pool) target.instances.push_back(member->name);
  }
  return target;
}

}  // namespace

Target readTarget(const NodeReader& node, const Plan& plan) {
  node.expectOnly({"zone", "service", "version", "instance"});
  const bool zone = node.has("zone"), service = node.has("service");
  if (zone && service) node.fail("give either zone or service, not both");
  if (zone) return readZoneTarget(node, plan);
  if (service) return readServiceTarget(node, plan);
  node.fail("give a zone or a service");
}

}  // namespace meshproof::scenario
