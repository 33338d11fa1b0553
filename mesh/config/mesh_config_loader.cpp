// The mesh configuration loader: the top level of a scenario file, dispatching each
// mesh section to its reader.
#include "mesh/config/mesh_config_loader.h"

#include "mesh/config/document.h"
#include "mesh/config/section_readers.h"

namespace meshproof::config {
namespace {

MeshConfig loadDocument(const Document& document) {
  const NodeReader root(document);
  root.expectOnly(scenarioTopLevelFields());
  return readMeshConfig(root);
}

}  // namespace

const std::vector<std::string>& scenarioTopLevelFields() {
  static const std::vector<std::string> fields{"name",     "description", "seed",     "duration",     "mesh",
                                               "network",  "services",    "traffic",  "destinations", "security",
                                               "canaries", "changes",     "workload", "faults",       "expect"};
  return fields;
}

const std::vector<std::string>& meshConfigSections() {
  static const std::vector<std::string> sections{"mesh", "traffic", "destinations", "security"};
  return sections;
}

MeshChange readMeshChange(const NodeReader& node, Checks checks) {
  MeshChange change;
  if (auto traffic = node.optional("traffic")) change.traffic = readTraffic(*traffic, checks);
  if (auto destinations = node.optional("destinations")) change.destinations = readDestinations(*destinations);
  if (auto security = node.optional("security")) {
    security->expectOnly({"peerAuthentication", "authorization"});
    if (auto peers = security->optional("peerAuthentication")) change.peer_authentication = readPeerAuthentications(*peers);
    if (auto policies = security->optional("authorization")) change.authorization = readAuthorizationPolicies(*policies);
  }
  return change;
}

MeshConfig readMeshConfig(const NodeReader& root) {
  root.expectMap();
  MeshConfig config;
  if (auto mesh = root.optional("mesh")) config.mesh = readMeshSettings(*mesh);
  if (auto traffic = root.optional("traffic")) config.traffic = readTraffic(*traffic);
  if (auto destinations = root.optional("destinations")) config.destinations = readDestinations(*destinations);
  if (auto security = root.optional("security")) config.security = readSecurity(*security);
  return config;
}

MeshConfig loadMeshConfigText(std::string_view text, std::string_view file_name) {
  return loadDocument(parseDocument(text, file_name));
}

MeshConfig loadMeshConfigFile(const std::string& path) { return loadDocument(readDocumentFile(path)); }

}  // namespace meshproof::config
