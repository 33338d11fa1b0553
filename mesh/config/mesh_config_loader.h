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

// What a reader checks beyond the format. kFull also refuses what a sidecar would
// reject when applying the configuration (route weights that do not sum to 100, regexes
// RE2 refuses); kFormatOnly leaves those to the sidecars, for a scenario change pushed
// with `validate: false` so that the sidecars NACK it.
enum class Checks { kFull, kFormatOnly };

// Every top-level key of a scenario file, in SCENARIO.md order.
const std::vector<std::string>& scenarioTopLevelFields();

// The top-level keys this loader reads: mesh, traffic, destinations, security.
const std::vector<std::string>& meshConfigSections();

// Reads the mesh sections of a scenario's root map; other keys are left alone (the
// scenario loader reads them). Absent sections keep the model's defaults.
MeshConfig readMeshConfig(const NodeReader& root);

// The resources of a change applied during a run: `traffic`, `destinations` and
// `security` with `peerAuthentication` and/or `authorization` (the same readers as
// the sections of the same names). Other keys of `node` are the caller's.
MeshChange readMeshChange(const NodeReader& node, Checks checks);

// Parses `text` (format by file_name's extension, else by content), rejects
// top-level keys that are not in scenarioTopLevelFields(), and reads the mesh
// sections.
MeshConfig loadMeshConfigText(std::string_view text, std::string_view file_name);
MeshConfig loadMeshConfigFile(const std::string& path);

}  // namespace meshproof::config
