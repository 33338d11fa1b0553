// Readers of the four mesh sections of a scenario file, one per file, each turning
// its (already parsed) node into model.h values and validating it. Internal to
// mesh/config: other code uses mesh_config_loader.h.
#pragma once
#include <string>
#include <vector>

#include "mesh/config/model.h"
#include "mesh/config/node_reader.h"

namespace meshproof::config {

extern const EnumNames<MtlsMode> kMtlsModeNames;

// What a reader checks beyond the format. kFull also refuses what a sidecar would
// reject when applying the configuration (route weights that do not sum to 100, regexes
// RE2 refuses); kFormatOnly leaves those to the sidecars, for a scenario change pushed
// with `validate: false` so that the sidecars NACK it.
enum class Checks { kFull, kFormatOnly };

MeshSettings readMeshSettings(const NodeReader& node);                // `mesh:`
std::vector<VirtualService> readTraffic(const NodeReader& node, Checks checks = Checks::kFull);  // `traffic:`
std::vector<DestinationRule> readDestinations(const NodeReader& node);  // `destinations:`
Security readSecurity(const NodeReader& node);                        // `security:`

// Istio's StringMatch ({exact|prefix|regex}, and {present: true} when
// `allow_present`); a regex is compiled here.
StringMatch readStringMatch(const NodeReader& node, bool allow_present, Checks checks = Checks::kFull);

}  // namespace meshproof::config
