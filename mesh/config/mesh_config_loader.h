// Loading the mesh configuration (the `mesh`, `traffic`, `destinations` and
// `security` sections of a scenario file, SCENARIO.md) from YAML or JSON into a
// validated MeshConfig. Every problem throws ConfigError naming file, line and
// field path, e.g.
//   checkout.yaml:31: destinations[0].outlierDetection.interval: "10" has no unit (use e.g. 10s, 250ms)
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "mesh/config/config_error.h"
#include "mesh/config/model.h"
#include "mesh/config/node_reader.h"

namespace meshproof::config {

// Every top-level key of a scenario file, in SCENARIO.md order.
const std::vector<std::string>& scenarioTopLevelFields();

// The top-level keys this loader reads: mesh, traffic, destinations, security.
const std::vector<std::string>& meshConfigSections();

// Reads the mesh sections of a scenario's root map; other keys are left alone (the
// scenario loader reads them). Absent sections keep the model's defaults.
MeshConfig readMeshConfig(const NodeReader& root);

// Parses `text` (format by file_name's extension, else by content), rejects
// top-level keys that are not in scenarioTopLevelFields(), and reads the mesh
// sections.
MeshConfig loadMeshConfigText(std::string_view text, std::string_view file_name);
MeshConfig loadMeshConfigFile(const std::string& path);

}  // namespace meshproof::config
