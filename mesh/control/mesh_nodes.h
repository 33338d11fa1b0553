// The nodes of a scenario's mesh as both drivers (simulation and live) run them,
// and what the control plane starts with:
//   - every instance: a sidecar and its application;
//   - one client node per workload that does not enter through the ingress gateway
//     ("client-<workload>"), with a sidecar when the workload has a principal
//     (an in-mesh client) and none when it is unauthenticated;
//   - the ingress gateway ("ingress-gateway-0", identity
//     <trustDomain>/ns/meshproof-system/sa/ingress-gateway) when a workload uses it.
// Clients and the gateway sit in the first zone.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "mesh/control/control_plane.h"
#include "mesh/dataplane/service_directory.h"
#include "mesh/dataplane/sidecar.h"
#include "mesh/scenario/plan.h"

namespace meshproof::control {

inline constexpr const char* kIngressGatewayNode = "ingress-gateway-0";

struct MeshNodeSpec {
  std::string name;
  std::string zone;
  std::optional<dataplane::SidecarIdentity> sidecar;  // absent: a client outside the mesh
  const scenario::Instance* instance = nullptr;       // a workload instance (it runs the app)
  std::vector<const scenario::Workload*> workloads;   // load generators on this node
};

std::vector<MeshNodeSpec> meshNodes(const scenario::Plan& plan);

// Every service with its namespace, account and instances (versions as subsets).
dataplane::ServiceDirectory serviceDirectory(const scenario::Plan& plan);

// spiffe://<trustDomain>/ns/<ns>/sa/<sa>
std::string spiffeUri(const scenario::Plan& plan, const std::string& namespace_, const std::string& account);
std::string spiffeUri(const scenario::Plan& plan, const dataplane::SidecarIdentity& identity);

// The scenario's configuration, changes and canaries; every instance registered
// (ready when `instances_ready`: the mesh was up before the run), and the other
// sidecars it serves.
ControlPlaneSpec controlPlaneSpec(const scenario::Plan& plan, const std::vector<MeshNodeSpec>& nodes,
                                  bool instances_ready = true);

}  // namespace meshproof::control
