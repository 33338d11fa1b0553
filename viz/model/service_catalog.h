// What the trace says exists: services, their version subsets and instances, and
// the callers seen on request lines, and how a caller maps to a node of the graph.
//
// Facts are collected as lines arrive (in any order, so a live stream can feed
// them); build() turns them into a Topology. A caller is resolved, in this order:
//   1. `ingress-gateway-<n>`           -> the entry node "ingress-gateway";
//   2. an instance registered by an `endpoint` line, or seen as a request's
//      destination instance            -> that instance's service;
//   3. `<service>-<version>-<n>` where <service> is a known service -> that service
//      (the simulator's instance naming, SCENARIO.md);
//   4. `client-<workload>`             -> an entry node of that name;
//   5. `<service>-<version>-<n>` of a service no line named yet -> a new service;
//   6. a SPIFFE principal `<td>/ns/<ns>/sa/<sa>` whose callers resolved to one
//      service, or whose service account names a known service -> that service;
//   7. anything else ("unauthenticated", an unknown principal) -> an external node.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mesh/core/events.h"

namespace meshproof::viz {

enum class NodeKind { kService, kEntry, kExternal };

struct Topology {
  struct Instance {
    std::string name;
    std::size_t version = 0;  // index into Node::versions
    std::string zone;         // empty when no endpoint line named it
  };
  struct Version {
    std::string name;
    std::vector<std::size_t> instances;  // indices into Node::instances
  };
  struct Node {
    std::string name;
    NodeKind kind = NodeKind::kService;
    std::vector<Version> versions;    // sorted by name
    std::vector<Instance> instances;  // sorted by name
  };
  struct InstanceRef {
    std::size_t node = 0;
    std::size_t instance = 0;
  };

  std::vector<Node> nodes;  // services by name, then entry nodes, then external nodes

  std::optional<std::size_t> nodeNamed(std::string_view name) const;
  // The node a request line's `source` (or an unclaimed principal) stands for.
  std::optional<std::size_t> nodeOfCaller(std::string_view caller) const;
  std::optional<InstanceRef> instanceNamed(std::string_view instance) const;
  // Index of `version` in the node's versions.
  std::optional<std::size_t> versionNamed(std::size_t node, std::string_view version) const;

  std::map<std::string, std::size_t, std::less<>> node_index;
  std::map<std::string, std::size_t, std::less<>> caller_node;
  std::map<std::string, InstanceRef, std::less<>> instance_index;
};

class ServiceCatalog {
 public:
  void noteEndpoint(const EndpointEvent& endpoint);
  // A request towards `service`, routed to `subset` (may be empty) and answered by
  // `instance` (empty when answered locally).
  void noteDestination(std::string_view service, std::string_view subset, std::string_view instance);
  // A request line's `source` and its principal (empty when plaintext).
  void noteCaller(std::string_view source, std::string_view principal);
  // An instance named elsewhere (fault target, certificate, config node).
  void noteInstanceName(std::string_view instance);

  // Grows whenever a new fact arrives; a Topology built at one revision stays right
  // until the next.
  std::uint64_t revision() const { return revision_; }
  Topology build() const;

 private:
  struct KnownInstance {
    std::string service;
    std::string version;
    std::string zone;
  };
  void bump() { ++revision_; }

  std::map<std::string, KnownInstance, std::less<>> instances_;  // endpoint or destination lines
  std::set<std::string, std::less<>> services_;
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> service_subsets_;
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> callers_;  // source -> principals
  std::set<std::string, std::less<>> other_instance_names_;
  std::uint64_t revision_ = 0;
};

// `<service>-<version>-<n>` split into service and version; nullopt when the name
// does not end in "-<version>-<digits>".
struct InstanceNameParts {
  std::string service;
  std::string version;
};
std::optional<InstanceNameParts> splitInstanceName(std::string_view instance);

}  // namespace meshproof::viz
