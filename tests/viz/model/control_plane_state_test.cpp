// RunModel with the control plane's kinds (endpoint, config, cert, canary), written by
// hand since the simulator does not emit them yet: registry-driven topology, health,
// config versions acknowledged and refused, certificate expiry and refusals, canary
// weights, and their timeline markers.
#include <gtest/gtest.h>

#include "tests/viz/model/trace_builders.h"
#include "viz/model/run_model.h"

namespace meshproof::viz {
namespace {

using testing::Hop;
using testing::ms;
using testing::sec;
using testing::TraceBuilder;

EndpointEvent endpoint(std::string instance, std::string service, std::string version, std::string zone,
                       std::string state = "registered") {
  return EndpointEvent{std::move(instance), std::move(service), std::move(version), std::move(zone),
                       std::move(state), ""};
}

CertEvent cert(std::string instance, std::string state, TimeNs expires, std::string peer = "",
               std::string reason = "") {
  return CertEvent{std::move(instance), state, "spiffe://cluster.local/ns/bank/sa/x", "0a1b", expires,
                   std::move(peer), std::move(reason)};
}

CanaryEvent canary(int iteration, int weight, std::string verdict) {
  CanaryEvent e;
  e.service = "ledger";
  e.stable = "v1";
  e.canary = "v2";
  e.iteration = iteration;
  e.weight = weight;
  e.verdict = std::move(verdict);
  e.success_rate = 99.5;
  e.latency_p99 = ms(12);
  return e;
}

TraceBuilder bank() {
  TraceBuilder b;
  b.add(0, endpoint("teller-v1-0", "teller", "v1", "zone-a"));
  b.add(0, endpoint("ledger-v1-0", "ledger", "v1", "zone-a"));
  b.add(0, endpoint("ledger-v2-0", "ledger", "v2", "zone-b"));
  b.add(0, ConfigEvent{"control-plane", 1, "published", "initial", "", {}});
  b.add(0, cert("teller-v1-0", "issued", sec(30)));
  b.add(0, cert("ledger-v1-0", "issued", sec(86400)));
  b.add(0, canary(0, 0, "start"));
  b.add(ms(10), ConfigEvent{"teller-v1-0", 1, "applied", "initial", "", {}});
  b.add(ms(10), ConfigEvent{"ledger-v1-0", 1, "applied", "initial", "", {}});
  b.source({.source = "teller-v1-0", .principal = "cluster.local/ns/bank/sa/teller", .destination = "ledger",
            .instance = "ledger-v1-0", .end = ms(500)});
  b.add(sec(5), cert("ledger-v1-0", "rejected", 0, "teller-v1-0", "certificate expired"));
  b.add(sec(10), ConfigEvent{"control-plane", 2, "published", "canary ledger weight 10", "", {}});
  b.add(sec(10), canary(1, 10, "advance"));
  b.add(ms(10100), ConfigEvent{"teller-v1-0", 2, "applied", "canary ledger weight 10", "", {}});
  b.add(ms(10200), ConfigEvent{"ledger-v1-0", 2, "rejected", "canary ledger weight 10", "unknown cluster", {}});
  b.add(sec(12), endpoint("ledger-v2-0", "ledger", "v2", "zone-b", "unhealthy"));
  b.add(sec(20), canary(2, 20, "advance"));
  b.add(sec(30), canary(3, 0, "rolled-back"));
  b.add(sec(40), cert("teller-v1-0", "denied", 0, "", "CA revoked"));
  return b;
}

TEST(ControlPlaneState, EndpointLinesDefineInstancesVersionsAndZones) {
  const RunModel m = bank().model();
  const Topology& topo = m.graph().topology;
  const auto ledger = topo.nodeNamed("ledger");
  ASSERT_TRUE(ledger);
  const Topology::Node& node = topo.nodes[*ledger];
  ASSERT_EQ(node.versions.size(), 2u);
  ASSERT_EQ(node.instances.size(), 2u);
  EXPECT_EQ(node.instances[1].name, "ledger-v2-0");
  EXPECT_EQ(node.instances[1].zone, "zone-b");
  EXPECT_EQ(node.versions[node.instances[1].version].name, "v2");
  // No control-plane node: it is not an instance.
  EXPECT_FALSE(topo.nodeNamed("control-plane"));
  EXPECT_EQ(topo.nodes.size(), 2u);

  const GraphState at13 = m.stateAt(sec(13));
  EXPECT_EQ(at13.nodes[*ledger].instances[1].health, Health::kUnhealthy);
  EXPECT_EQ(m.stateAt(sec(11)).nodes[*ledger].instances[1].health, Health::kHealthy);
}

TEST(ControlPlaneState, ConfigVersionsAppliedAndRejected) {
  const RunModel m = bank().model();
  const GraphState at5 = m.stateAt(sec(5));
  EXPECT_EQ(at5.config.version, 1u);
  EXPECT_EQ(at5.config.sidecars, 2);
  EXPECT_EQ(at5.config.current, 2);
  EXPECT_EQ(at5.config.rejected, 0);

  const GraphState at11 = m.stateAt(sec(11));
  EXPECT_EQ(at11.config.version, 2u);
  EXPECT_EQ(at11.config.cause, "canary ledger weight 10");
  EXPECT_EQ(at11.config.current, 1);
  EXPECT_EQ(at11.config.rejected, 1);
  const std::size_t ledger = *m.graph().topology.nodeNamed("ledger");
  const InstanceState& refusing = at11.nodes[ledger].instances[0];
  EXPECT_EQ(refusing.config_applied, 1u);  // keeps its last good version
  EXPECT_EQ(refusing.config_rejected, 2u);
  EXPECT_EQ(at11.nodes[ledger].config_rejected, 1);
}

TEST(ControlPlaneState, CertificatesExpireAndRefusalsMarkTheEdge) {
  const RunModel m = bank().model();
  const std::size_t teller = *m.graph().topology.nodeNamed("teller");
  const std::size_t ledger = *m.graph().topology.nodeNamed("ledger");
  const GraphState at20 = m.stateAt(sec(20));
  EXPECT_EQ(at20.nodes[teller].instances[0].cert_expires, sec(30));
  EXPECT_FALSE(at20.nodes[teller].instances[0].cert_expired);
  const GraphState at31 = m.stateAt(sec(31));
  EXPECT_TRUE(at31.nodes[teller].instances[0].cert_expired);
  EXPECT_EQ(at31.nodes[teller].expired_certs, 1);
  EXPECT_TRUE(m.stateAt(sec(41)).nodes[teller].instances[0].cert_denied);

  // ledger-v1-0 refused teller's certificate at 5 s: the teller -> ledger edge is
  // "rejected" for the window after it.
  const auto edge = m.graph().edgeBetween(teller, ledger);
  ASSERT_TRUE(edge);
  const GraphState at6 = m.stateAt(sec(6));
  EXPECT_EQ(at6.edges[*edge].cert_rejections, 1u);
  EXPECT_EQ(at6.edges[*edge].mtls, MtlsState::kRejected);
  EXPECT_EQ(m.stateAt(sec(11)).edges[*edge].mtls, MtlsState::kNoTraffic);
}

TEST(ControlPlaneState, CanaryWeightsFollowTheSteps) {
  const RunModel m = bank().model();
  const std::size_t ledger = *m.graph().topology.nodeNamed("ledger");
  const GraphState at25 = m.stateAt(sec(25));
  ASSERT_TRUE(at25.nodes[ledger].canary);
  EXPECT_EQ(at25.nodes[ledger].canary->weight, 20);
  EXPECT_EQ(at25.nodes[ledger].canary->verdict, "advance");
  EXPECT_EQ(at25.nodes[ledger].canary->at, sec(20));
  EXPECT_EQ(at25.nodes[ledger].versions[0].weight_percent, 80);
  EXPECT_EQ(at25.nodes[ledger].versions[1].weight_percent, 20);
  const GraphState at31 = m.stateAt(sec(31));
  EXPECT_EQ(at31.nodes[ledger].canary->verdict, "rolled-back");
  EXPECT_EQ(at31.nodes[ledger].versions[1].weight_percent, 0);
}

TEST(ControlPlaneState, MarkersForConfigCanaryAndCertificates) {
  const RunModel m = bank().model();
  std::vector<std::string> labels;
  for (const Marker& marker : m.markers())
    if (marker.kind == MarkerKind::kConfig || marker.kind == MarkerKind::kCanary || marker.kind == MarkerKind::kCert)
      labels.push_back(marker.label);
  const std::vector<std::string> expected = {
      "config v1 published: initial",
      "canary ledger v2: start, weight 0%",
      "certificate of teller-v1-0 rejected by ledger-v1-0: certificate expired",
      "config v2 published: canary ledger weight 10",
      "canary ledger v2: advance, weight 10%",
      "config v2 rejected by ledger-v1-0: unknown cluster",
      "canary ledger v2: advance, weight 20%",
      "canary ledger v2: rolled-back, weight 0%",
      "certificate denied to teller-v1-0: CA revoked",
  };
  EXPECT_EQ(labels, expected);
}

}  // namespace
}  // namespace meshproof::viz
