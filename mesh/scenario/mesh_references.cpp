// Cross-references from the mesh sections (read by mesh/config) to the scenario's
// services, versions, namespaces and zones: traffic and destinations name known
// services, route and mirror subsets are versions of that service, locality
// failover names known zones, and security selectors name known services and
// namespaces (a service and a namespace given together must agree).
#include "mesh/scenario/reader_helpers.h"
#include "mesh/scenario/section_readers.h"

namespace meshproof::scenario {
namespace {

std::vector<std::string> knownNamespaces(const Plan& plan) {
  std::vector<std::string> namespaces;
  for (const auto& service : plan.services) {
    bool seen = false;
    for (const auto& name : namespaces) seen = seen || name == service.namespace_;
    if (!seen) namespaces.push_back(service.namespace_);
  }
  return namespaces;
}

void checkSubset(const NodeReader& holder, const Service& service) {
  if (auto subset = holder.optional("subset")) (void)readVersionReference(*subset, service);
}

void checkTraffic(const NodeReader& traffic, const Plan& plan) {
  for (const auto& entry : traffic.items()) {
    const Service& service = readServiceReference(entry.required("service"), plan);
    for (const auto& rule : entry.required("http").items()) {
      for (const auto& destination : rule.required("route").items()) checkSubset(destination, service);
      if (auto mirror = rule.optional("mirror")) checkSubset(*mirror, service);
    }
  }
}

void checkDestinations(const NodeReader& destinations, const Plan& plan) {
  for (const auto& entry : destinations.items()) {
    (void)readServiceReference(entry.required("service"), plan);
    const auto locality = entry.optional("localityLbSetting");
    const auto failover = locality ? locality->optional("failover") : std::nullopt;
    if (!failover) continue;
    for (const auto& item : failover->items()) {
      (void)readZoneReference(item.required("from"), plan.network);
      (void)readZoneReference(item.required("to"), plan.network);
    }
  }
}

// A {service?, namespace?} selector.
void checkSelector(const NodeReader& selector, const Plan& plan) {
  const auto service_node = selector.optional("service");
  const auto namespace_node = selector.optional("namespace");
  const Service* service = service_node ? &readServiceReference(*service_node, plan) : nullptr;
  if (!namespace_node) return;
  const std::string namespace_ = namespace_node->asString();
  if (service && service->namespace_ != namespace_)
    namespace_node->fail(service->name + " is in namespace \"" + service->namespace_ + "\", not \"" + namespace_ +
                         "\"");
  const auto known = knownNamespaces(plan);
  for (const auto& name : known)
    if (name == namespace_) return;
  failUnknown(*namespace_node, "no service is in namespace \"" + namespace_ + "\"", namespace_, known);
}

void checkSecurity(const NodeReader& security, const Plan& plan) {
  if (auto peers = security.optional("peerAuthentication"))
    for (const auto& item : peers->items()) checkSelector(item, plan);
  if (auto policies = security.optional("authorization"))
    for (const auto& item : policies->items()) checkSelector(item, plan);
}

}  // namespace

void checkMeshReferences(const NodeReader& root, const Plan& plan) {
  if (auto traffic = root.optional("traffic")) checkTraffic(*traffic, plan);
  if (auto destinations = root.optional("destinations")) checkDestinations(*destinations, plan);
  if (auto security = root.optional("security")) checkSecurity(*security, plan);
}

}  // namespace meshproof::scenario
