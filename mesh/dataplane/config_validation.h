// What a sidecar checks before it applies a configuration snapshot, as Envoy does
// before it ACKs an xDS update: every route's weights sum to 100, route and mirror
// subsets are versions the service has, every service named is known, and every
// regex is one RE2 accepts. The first problem is the NACK's reason; the sidecar
// keeps its last good configuration.
#pragma once
#include <optional>
#include <string>

#include "mesh/config/model.h"
#include "mesh/dataplane/service_directory.h"

namespace meshproof::dataplane {

// nullopt when the sidecar can apply `config`; else why not, naming the field, e.g.
// "traffic[checkout].http[0].route: weights sum to 90, must be 100".
std::optional<std::string> configRejection(const config::MeshConfig& config, const ServiceDirectory& directory);

}  // namespace meshproof::dataplane
