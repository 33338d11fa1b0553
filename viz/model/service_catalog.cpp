// Collects services, versions, instances and callers, and resolves callers to nodes
// (the rules are in service_catalog.h).
#include "viz/model/service_catalog.h"

#include <algorithm>
#include <cctype>

namespace meshproof::viz {
namespace {

constexpr std::string_view kIngressPrefix = "ingress-gateway";
constexpr std::string_view kClientPrefix = "client-";
constexpr std::string_view kUnnamedVersion = "default";

bool allDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

bool isIngress(std::string_view source) {
  if (source == kIngressPrefix) return true;
  return source.starts_with(kIngressPrefix) && source.size() > kIngressPrefix.size() + 1 &&
         source[kIngressPrefix.size()] == '-' && allDigits(source.substr(kIngressPrefix.size() + 1));
}

// The service account of a SPIFFE principal "<trust domain>/ns/<ns>/sa/<sa>".
std::optional<std::string_view> serviceAccountOf(std::string_view principal) {
  const std::size_t sa = principal.rfind("/sa/");
  if (sa == std::string_view::npos || principal.find("/ns/") == std::string_view::npos) return std::nullopt;
  return principal.substr(sa + 4);
}

}  // namespace

std::optional<InstanceNameParts> splitInstanceName(std::string_view instance) {
  const std::size_t last = instance.rfind('-');
  if (last == std::string_view::npos || !allDigits(instance.substr(last + 1))) return std::nullopt;
  const std::string_view rest = instance.substr(0, last);
  const std::size_t middle = rest.rfind('-');
  if (middle == std::string_view::npos || middle == 0 || middle + 1 == rest.size()) return std::nullopt;
  return InstanceNameParts{std::string(rest.substr(0, middle)), std::string(rest.substr(middle + 1))};
}

std::optional<std::size_t> Topology::nodeNamed(std::string_view name) const {
  const auto it = node_index.find(name);
  if (it == node_index.end()) return std::nullopt;
  return it->second;
}

std::optional<std::size_t> Topology::nodeOfCaller(std::string_view caller) const {
  const auto it = caller_node.find(caller);
  if (it == caller_node.end()) return std::nullopt;
  return it->second;
}

std::optional<Topology::InstanceRef> Topology::instanceNamed(std::string_view instance) const {
  const auto it = instance_index.find(instance);
  if (it == instance_index.end()) return std::nullopt;
  return it->second;
}

std::optional<std::size_t> Topology::versionNamed(std::size_t node, std::string_view version) const {
  const auto& versions = nodes[node].versions;
  for (std::size_t i = 0; i < versions.size(); ++i)
    if (versions[i].name == version) return i;
  return std::nullopt;
}

void ServiceCatalog::noteEndpoint(const EndpointEvent& endpoint) {
  KnownInstance known{endpoint.service, endpoint.version, endpoint.zone};
  auto [it, inserted] = instances_.try_emplace(endpoint.instance, known);
  if (!inserted) {
    if (it->second.service == known.service && it->second.version == known.version &&
        it->second.zone == known.zone)
      return;
    it->second = known;  // an endpoint line is the registry's word: it wins
  }
  services_.insert(endpoint.service);
  bump();
}

void ServiceCatalog::noteDestination(std::string_view service, std::string_view subset, std::string_view instance) {
  if (!services_.count(service)) {
    services_.emplace(service);
    bump();
  }
  if (!subset.empty()) {
    auto it = service_subsets_.find(service);
    if (it == service_subsets_.end()) it = service_subsets_.emplace(std::string(service), std::set<std::string, std::less<>>{}).first;
    if (!it->second.count(subset)) {
      it->second.emplace(subset);
      bump();
    }
  }
  if (instance.empty() || instances_.count(instance)) return;
  std::string version(subset);
  if (version.empty()) {
    const auto parts = splitInstanceName(instance);
    version = parts && parts->service == service ? parts->version : std::string(kUnnamedVersion);
  }
  instances_.emplace(std::string(instance), KnownInstance{std::string(service), version, ""});
  bump();
}

void ServiceCatalog::noteCaller(std::string_view source, std::string_view principal) {
  auto it = callers_.find(source);
  if (it == callers_.end()) {
    it = callers_.emplace(std::string(source), std::set<std::string, std::less<>>{}).first;
    bump();
  }
  if (!principal.empty() && it->second.insert(std::string(principal)).second) bump();
}

void ServiceCatalog::noteInstanceName(std::string_view instance) {
  if (instance.empty() || instances_.count(instance) || other_instance_names_.count(instance)) return;
  other_instance_names_.emplace(instance);
  bump();
}

Topology ServiceCatalog::build() const {
  // Every instance with its service and version, from the facts and the naming rule.
  std::map<std::string, KnownInstance, std::less<>> instances = instances_;
  std::set<std::string, std::less<>> services = services_;
  auto adoptByName = [&](const std::string& name, bool new_service_allowed) -> std::optional<std::string> {
    if (const auto it = instances.find(name); it != instances.end()) return it->second.service;
    const auto parts = splitInstanceName(name);
    if (!parts || (!new_service_allowed && !services.count(parts->service))) return std::nullopt;
    services.insert(parts->service);
    instances.emplace(name, KnownInstance{parts->service, parts->version, ""});
    return parts->service;
  };
  for (const std::string& name : other_instance_names_) adoptByName(name, false);

  // Callers: instance names first (rules 1-4), then principals (rule 5) that may lean
  // on what the instance names resolved to.
  std::map<std::string, std::string, std::less<>> caller_service;  // caller -> service
  std::map<std::string, std::string, std::less<>> caller_entry;    // caller -> entry or external node
  std::map<std::string, std::set<std::string>, std::less<>> principal_services;
  std::vector<const std::string*> unresolved;
  for (const auto& [caller, principals] : callers_) {
    std::optional<std::string> service;
    if (isIngress(caller)) {
      caller_entry[caller] = std::string(kIngressPrefix);
    } else if ((service = adoptByName(caller, false)) ||
               (!caller.starts_with(kClientPrefix) && (service = adoptByName(caller, true)))) {
      caller_service[caller] = *service;
      for (const std::string& p : principals) principal_services[p].insert(*service);
    } else if (caller.starts_with(kClientPrefix)) {
      caller_entry[caller] = caller;
    } else {
      unresolved.push_back(&caller);
    }
  }
  for (const std::string* caller : unresolved) {
    std::optional<std::string> service;
    if (const auto it = principal_services.find(*caller); it != principal_services.end() && it->second.size() == 1)
      service = *it->second.begin();
    else if (const auto sa = serviceAccountOf(*caller); sa && services.count(*sa))
      service = std::string(*sa);
    if (service) caller_service[*caller] = *service;
    else caller_entry[*caller] = *caller;
  }

  // Nodes: services (with versions and instances), then entry, then external nodes.
  Topology topology;
  std::map<std::string, std::set<std::string>, std::less<>> versions_of;
  for (const std::string& s : services) versions_of[s];
  for (const auto& [service, subsets] : service_subsets_) versions_of[service].insert(subsets.begin(), subsets.end());
  for (const auto& [name, known] : instances) versions_of[known.service].insert(known.version);
  for (const auto& [service, versions] : versions_of) {
    Topology::Node node;
    node.name = service;
    for (const std::string& v : versions) node.versions.push_back({v, {}});
    topology.node_index[service] = topology.nodes.size();
    topology.nodes.push_back(std::move(node));
  }
  for (const auto& [name, known] : instances) {
    const std::size_t n = topology.node_index.at(known.service);
    Topology::Node& node = topology.nodes[n];
    const std::size_t v = *topology.versionNamed(n, known.version);
    topology.instance_index[name] = {n, node.instances.size()};
    node.versions[v].instances.push_back(node.instances.size());
    node.instances.push_back({name, v, known.zone});
  }
  std::set<std::string> entries;
  std::set<std::string> externals;
  for (const auto& [caller, node] : caller_entry)
    (isIngress(caller) || caller.starts_with(kClientPrefix) ? entries : externals).insert(node);
  for (const std::set<std::string>* group : {&entries, &externals}) {
    for (const std::string& name : *group) {
      if (topology.node_index.count(name)) continue;
      Topology::Node node;
      node.name = name;
      node.kind = group == &entries ? NodeKind::kEntry : NodeKind::kExternal;
      topology.node_index[name] = topology.nodes.size();
      topology.nodes.push_back(std::move(node));
    }
  }
  for (const auto& [caller, service] : caller_service) topology.caller_node[caller] = topology.node_index.at(service);
  for (const auto& [caller, node] : caller_entry) topology.caller_node[caller] = topology.node_index.at(node);
  return topology;
}

}  // namespace meshproof::viz
