// Building and running one simulation from a Plan.
#include "sim/simulation.h"

#include <simgrid/s4u.hpp>

#include <cmath>
#include <memory>
#include <vector>

#include "mesh/app/scenario_behavior.h"
#include "mesh/control/mesh_nodes.h"
#include "mesh/identity/peer_verifier.h"
#include "sim/control_plane_node.h"
#include "sim/fault_controller.h"
#include "sim/mesh_node.h"
#include "sim/platform.h"
#include "sim/sim_network.h"

namespace meshproof::sim {
namespace sg4 = simgrid::s4u;

namespace {

NetworkSpec networkSpec(const scenario::Network& n) {
  NetworkSpec spec;
  for (const auto& z : n.zones)
    spec.zones.push_back(ZoneSpec{z.name, z.link.latency, static_cast<double>(z.link.bandwidth_bps)});
  spec.inter_zone_latency = n.inter_zone.latency;
  spec.inter_zone_bandwidth_bps = static_cast<double>(n.inter_zone.bandwidth_bps);
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
  const std::vector<control::MeshNodeSpec> mesh_nodes = control::meshNodes(plan);
  std::vector<NodeSpec> specs;
  std::vector<HostSpec> hosts;
  for (const auto& node : mesh_nodes) {
    NodeSpec spec;
    spec.name = node.name;
    spec.sidecar = node.sidecar;
    spec.workloads = node.workloads;
    if (node.instance != nullptr)
      spec.behavior = app::behaviorFromScenario(plan.service(node.instance->service)->version(node.instance->version)->behavior);
    specs.push_back(std::move(spec));
    hosts.push_back({node.name, node.zone});
  }
  hosts.push_back({kControllerNode, first_zone});
  hosts.push_back({kControlPlaneNode, first_zone});

  Platform platform(networkSpec(plan.network), hosts);

  const dataplane::ServiceDirectory directory = control::serviceDirectory(plan);

  const Rng root(options.seed);
  SimNetwork network(root);
  identity::CertificateAuthority ca(plan.mesh.mesh.trust_domain, kSimWallEpoch, root.fork("mesh-ca"));
  const identity::PeerVerifier verifier({ca.root()});
  ControlPlaneNode control_plane(control::controlPlaneSpec(plan, mesh_nodes), ca, network, sink);
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
