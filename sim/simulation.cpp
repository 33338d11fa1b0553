// Building and running one simulation from a Plan.
#include "sim/simulation.h"

#include <simgrid/s4u.hpp>

#include <cmath>
#include <memory>
#include <vector>

#include "mesh/app/scenario_behavior.h"
#include "mesh/identity/peer_verifier.h"
#include "mesh/security/spiffe_id.h"
#include "sim/control_plane_node.h"
#include "sim/fault_controller.h"
#include "sim/mesh_node.h"
#include "sim/platform.h"
#include "sim/sim_network.h"

namespace meshproof::sim {
namespace sg4 = simgrid::s4u;

namespace {

// Splits "td/ns/<ns>/sa/<sa>" into its namespace and service account.
std::pair<std::string, std::string> namespaceAndAccount(const std::string& principal) {
  const auto ns = principal.find("/ns/");
  const auto sa = principal.find("/sa/");
  if (ns == std::string::npos || sa == std::string::npos) return {"default", principal};
  return {principal.substr(ns + 4, sa - ns - 4), principal.substr(sa + 4)};
}

NetworkSpec networkSpec(const scenario::Network& n) {
  NetworkSpec spec;
  for (const auto& z : n.zones)
    spec.zones.push_back(ZoneSpec{z.name, z.link.latency, static_cast<double>(z.link.bandwidth_bps)});
  spec.inter_zone_latency = n.inter_zone.latency;
  spec.inter_zone_bandwidth_bps = static_cast<double>(n.inter_zone.bandwidth_bps);
  return spec;
}

std::string spiffeUri(const scenario::Plan& plan, const std::string& namespace_, const std::string& account) {
  return security::SpiffeId{plan.mesh.mesh.trust_domain, namespace_, account}.uri();
}

// What the control plane starts with: the scenario's configuration, changes and
// canaries, every instance registered and healthy, and the other sidecars it serves.
control::ControlPlaneSpec controlPlaneSpec(const scenario::Plan& plan, const std::vector<NodeSpec>& nodes) {
  control::ControlPlaneSpec spec;
  spec.mesh = plan.mesh;
  spec.changes = plan.changes;
  spec.canaries = plan.canaries;
  for (const auto& inst : plan.instances)
    spec.instances.push_back(control::InstanceRecord{inst.name, inst.service, inst.version, inst.zone,
                                                     spiffeUri(plan, inst.namespace_, inst.service_account)});
  for (const auto& node : nodes)
    if (node.sidecar && node.sidecar->service.empty())
      spec.clients.emplace_back(node.name,
                                spiffeUri(plan, node.sidecar->namespace_, node.sidecar->service_account));
  return spec;
}

}  // namespace

SimulationResult simulate(const scenario::Plan& plan, const SimulationOptions& options, EventSink& sink) {
  sink.emit(0, RunEvent{plan.name, options.seed, "sim", plan.duration, kSimWallEpoch});

  auto args = engineArguments(options.verbose_simgrid);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  sg4::Engine engine(&argc, argv.data());

  // Nodes: every instance, then the clients the workload needs, in the first zone.
  const std::string& first_zone = plan.network.zones.front().name;
  std::vector<NodeSpec> specs;
  std::vector<HostSpec> hosts;
  for (const auto& inst : plan.instances) {
    NodeSpec spec;
    spec.name = inst.name;
    dataplane::SidecarIdentity id;
    id.instance = inst.name;
    id.service = inst.service;
    id.version = inst.version;
    id.namespace_ = inst.namespace_;
    id.service_account = inst.service_account;
    id.zone = inst.zone;
    spec.sidecar = id;
    const scenario::Service* service = plan.service(inst.service);
    spec.behavior = app::behaviorFromScenario(service->version(inst.version)->behavior);
    specs.push_back(std::move(spec));
    hosts.push_back({inst.name, inst.zone});
  }
  NodeSpec ingress;
  ingress.name = kIngressGatewayNode;
  for (const auto& w : plan.workload) {
    if (w.identity.kind == scenario::ClientIdentity::Kind::kIngress) {
      ingress.workloads.push_back(&w);
      continue;
    }
    NodeSpec client;
    client.name = "client-" + w.name;
    client.workloads.push_back(&w);
    if (w.identity.kind == scenario::ClientIdentity::Kind::kPrincipal) {
      dataplane::SidecarIdentity id;
      id.instance = client.name;
      std::tie(id.namespace_, id.service_account) = namespaceAndAccount(w.identity.principal);
      id.zone = first_zone;
      client.sidecar = id;
    }
    hosts.push_back({client.name, first_zone});
    specs.push_back(std::move(client));
  }
  if (!ingress.workloads.empty()) {
    dataplane::SidecarIdentity id;
    id.instance = kIngressGatewayNode;
    id.namespace_ = "meshproof-system";
    id.service_account = "ingress-gateway";
    id.zone = first_zone;
    ingress.sidecar = id;
    hosts.push_back({ingress.name, first_zone});
    specs.push_back(std::move(ingress));
  }
  hosts.push_back({kControllerNode, first_zone});
  hosts.push_back({kControlPlaneNode, first_zone});

  Platform platform(networkSpec(plan.network), hosts);

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

  const Rng root(options.seed);
  SimNetwork network(root);
  identity::CertificateAuthority ca(plan.mesh.mesh.trust_domain, kSimWallEpoch, root.fork("mesh-ca"));
  const identity::PeerVerifier verifier({ca.root()});
  ControlPlaneNode control_plane(controlPlaneSpec(plan, specs), ca, network, sink);
  SimContext context{plan, directory, network, sink, root, control_plane.controlPlane(), verifier, 0};
  std::vector<std::unique_ptr<MeshNode>> nodes;
  for (auto& spec : specs) {
    const std::uint32_t index = network.addNode(spec.name, platform.host(spec.name));
    nodes.push_back(std::make_unique<MeshNode>(context, std::move(spec), index));
  }
  control_plane.attach(network.addNode(kControlPlaneNode, platform.host(kControlPlaneNode)));
  context.control_plane_node = control_plane.index();
  sg4::Actor::create(kControlPlaneNode, platform.host(kControlPlaneNode), [&control_plane] {
    sg4::Actor::self()->daemonize();
    control_plane.run();
  });
  for (auto& node : nodes) {
    MeshNode* n = node.get();
    sg4::Actor::create(n->name(), network.host(n->index()), [n] {
      sg4::Actor::self()->daemonize();
      n->run();
    });
  }
  FaultController controller(plan, platform, network, nodes, control_plane, sink);
  controller.scheduleOnNodes();
  sg4::Actor::create("controller", platform.host(kControllerNode),
                     [&controller, &options] { controller.run(options.drain_limit); });
  if (options.progress) {
    const double total = static_cast<double>(plan.duration) / kSecond;
    sg4::Engine::on_time_advance_cb([&options, total](double) { options.progress(sg4::Engine::get_clock(), total); });
  }
  engine.run();

  SimulationResult result;
  result.simulated_end = static_cast<TimeNs>(std::llround(sg4::Engine::get_clock() * 1e9));
  result.messages = network.messagesSent();
  result.messages_dropped = network.messagesDropped();
  result.nodes = nodes.size();
  return result;
}

}  // namespace meshproof::sim
