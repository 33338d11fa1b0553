// Readers of the four mesh sections of a scenario file, one per file, each turning
// its (already parsed) node into model.h values and validating it. Internal to
// mesh/config: other code uses mesh_config_loader.h.
#pragma once
#include <string>
#include <vector>

#include "mesh/config/mesh_config_loader.h"
#include "mesh/config/model.h"
#include "mesh/config/node_reader.h"

namespace meshproof::config {

extern const EnumNames<MtlsMode> kMtlsModeNames;


MeshSettings readMeshSettings(const NodeReader& node);                // `mesh:`
std::vector<VirtualService> readTraffic(const NodeReader& node, Checks checks = Checks::kFull);  // `traffic:`
std::vector<DestinationRule> readDestinations(const NodeReader& node);  // `destinations:`
Security readSecurity(const NodeReader& node);                        // `security:`
// The two lists of `security:` (also in a scenario change), with duplicate checks.
std::vector<PeerAuthentication> readPeerAuthentications(const NodeReader& node);
std::vector<AuthorizationPolicy> readAuthorizationPolicies(const NodeReader& node);

// Istio's StringMatch ({exact|prefix|regex}, and {present: true} when
// `allow_present`); a regex is compiled here.
StringMatch readStringMatch(const NodeReader& node, bool allow_present, Checks checks = Checks::kFull);

}  // namespace meshproof::config
