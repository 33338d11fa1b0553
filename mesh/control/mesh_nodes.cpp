// A scenario's nodes, service directory and control-plane start state.
#include "mesh/control/mesh_nodes.h"

#include <tuple>

#include "mesh/security/spiffe_id.h"

namespace meshproof::control {
namespace {

// Splits "td/ns/<ns>/sa/<sa>" into its namespace and service account.
std::pair<std::string, std::string> namespaceAndAccount(const std::string& principal) {
  const auto ns = principal.find("/ns/");
  const auto sa = principal.find("/sa/");
  if (ns == std::string::npos || sa == std::string::npos) return {"default", principal};
  return {principal.substr(ns + 4, sa - ns - 4), principal.substr(sa + 4)};
}

}  // namespace

std::vector<MeshNodeSpec> meshNodes(const scenario::Plan& plan) {
  const std::string& first_zone = plan.network.zones.front().name;
  std::vector<MeshNodeSpec> nodes;
  for (const auto& inst : plan.instances) {
    MeshNodeSpec node;
    node.name = inst.name;
    node.zone = inst.zone;
    node.instance = &inst;
    dataplane::SidecarIdentity id;
    id.instance = inst.name;
    id.service = inst.service;
    id.version = inst.version;
    id.namespace_ = inst.namespace_;
    id.service_account = inst.service_account;
    id.zone = inst.zone;
    node.sidecar = id;
    nodes.push_back(std::move(node));
  }
  MeshNodeSpec ingress;
  ingress.name = kIngressGatewayNode;
  ingress.zone = first_zone;
  for (const auto& w : plan.workload) {
    if (w.identity.kind == scenario::ClientIdentity::Kind::kIngress) {
      ingress.workloads.push_back(&w);
      continue;
    }
    MeshNodeSpec client;
    client.name = "client-" + w.name;
    client.zone = first_zone;
    client.workloads.push_back(&w);
    if (w.identity.kind == scenario::ClientIdentity::Kind::kPrincipal) {
      dataplane::SidecarIdentity id;
      id.instance = client.name;
      std::tie(id.namespace_, id.service_account) = namespaceAndAccount(w.identity.principal);
      id.zone = first_zone;
      client.sidecar = id;
    }
    nodes.push_back(std::move(client));
  }
  if (!ingress.workloads.empty()) {
    dataplane::SidecarIdentity id;
    id.instance = kIngressGatewayNode;
    id.namespace_ = "meshproof-system";
    id.service_account = "ingress-gateway";
    id.zone = first_zone;
    ingress.sidecar = id;
    nodes.push_back(std::move(ingress));
  }
  return nodes;
}

dataplane::ServiceDirectory serviceDirectory(const scenario::Plan& plan) {
  dataplane::ServiceDirectory directory;
  for (const auto& service : plan.services) {
    dataplane::ServiceInfo info;
    info.name = service.name;
    info.namespace_ = service.namespace_;
    info.service_account = service.service_account;
    for (const auto* inst : plan.instancesOf(service.name))
      info.endpoints.push_back(Endpoint{inst->name, inst->service, inst->version, inst->zone});
    directory.add(std::move(info));
  }
  return directory;
}

std::string spiffeUri(const scenario::Plan& plan, const std::string& namespace_, const std::string& account) {
  return security::SpiffeId{plan.mesh.mesh.trust_domain, namespace_, account}.uri();
}

std::string spiffeUri(const scenario::Plan& plan, const dataplane::SidecarIdentity& identity) {
  return spiffeUri(plan, identity.namespace_,
                   identity.service_account.empty() ? identity.service : identity.service_account);
}

ControlPlaneSpec controlPlaneSpec(const scenario::Plan& plan, const std::vector<MeshNodeSpec>& nodes,
                                  bool instances_ready) {
  ControlPlaneSpec spec;
  spec.mesh = plan.mesh;
  spec.changes = plan.changes;
  spec.canaries = plan.canaries;
  spec.instances_ready = instances_ready;
  for (const auto& inst : plan.instances)
    spec.instances.push_back(InstanceRecord{inst.name, inst.service, inst.version, inst.zone,
                                            spiffeUri(plan, inst.namespace_, inst.service_account)});
  for (const auto& node : nodes)
    if (node.sidecar && node.sidecar->service.empty()) spec.clients.emplace_back(node.name, spiffeUri(plan, *node.sidecar));
  return spec;
}

}  // namespace meshproof::control
