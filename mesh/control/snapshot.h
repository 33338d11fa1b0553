// One version of everything the control plane serves a sidecar (xDS "state of the
// world"): the mesh configuration (listeners, routes, clusters: LDS/RDS/CDS), the
// endpoints of every service (EDS), and which services report canary metrics.
// Immutable and shared: one snapshot object goes to every sidecar.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mesh/config/model.h"
#include "mesh/control/desired_config.h"
#include "mesh/dataplane/service_directory.h"

namespace meshproof::control {

struct ConfigSnapshot {
  std::uint64_t version = 0;
  ConfigRecipe recipe;  // what `config` was built from (live mode sends this)
  std::shared_ptr<const config::MeshConfig> config;
  std::shared_ptr<const dataplane::EndpointTable> endpoints;
  std::vector<std::string> telemetry_services;  // sorted; their workloads send TelemetryReports
};

using SnapshotPtr = std::shared_ptr<const ConfigSnapshot>;

}  // namespace meshproof::control
