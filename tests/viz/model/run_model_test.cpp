// RunModel: a hand-written trace in, the graph's state at time t out, checked exactly
// (figures over the last complete seconds, call paths, caller resolution, breakers,
// ejections, faults, and the streaming contract live mode relies on).
#include "viz/model/run_model.h"

#include <gtest/gtest.h>

#include "tests/viz/model/trace_builders.h"

namespace meshproof::viz {
namespace {

using testing::Hop;
using testing::ms;
using testing::sec;
using testing::TraceBuilder;

std::size_t nodeIndex(const RunModel& m, const std::string& name) {
  const auto n = m.graph().topology.nodeNamed(name);
  EXPECT_TRUE(n.has_value()) << name;
  return n.value_or(0);
}

const EdgeState& edgeState(const RunModel& m, const GraphState& s, const std::string& from, const std::string& to) {
  const auto e = m.graph().edgeBetween(nodeIndex(m, from), nodeIndex(m, to));
  EXPECT_TRUE(e.has_value()) << from << " -> " << to;
  return s.edges.at(e.value_or(0));
}

// frontend -> checkout: four requests ending at 0.5, 1.5, 2.5 (a 503) and 3.2 s.
TraceBuilder fourRequests() {
  TraceBuilder b;
  b.add(0, RunEvent{"shop", 42, "sim", sec(10), 0});
  b.source({.source = "ingress-gateway-0", .principal = "cluster.local/ns/meshproof-system/sa/ingress-gateway",
            .destination = "frontend", .subset = "", .instance = "frontend-v1-0", .end = ms(400)});
  b.source({.end = ms(500), .duration = ms(10)});
  b.source({.end = ms(1500), .duration = ms(20)});
  b.source({.status = 503, .end = ms(2500), .duration = ms(30)});
  b.source({.end = ms(3200), .duration = ms(40)});
  return b;
}

TEST(RunModel, FiguresAtTCoverTheLastCompleteSecondsBeforeIt) {
  const RunModel m = fourRequests().model();
  const std::size_t checkout = nodeIndex(m, "checkout");

  // t = 3.7 s, window 5 s: [0, 3) -> the first three requests.
  const GraphState s = m.stateAt(ms(3700));
  EXPECT_EQ(s.window_from, 0);
  EXPECT_EQ(s.window_to, sec(3));
  const Figures& f = s.nodes[checkout].figures;
  EXPECT_EQ(f.requests, 3u);
  EXPECT_EQ(f.successes, 2u);
  EXPECT_DOUBLE_EQ(f.requestsPerSecond(), 1.0);
  EXPECT_DOUBLE_EQ(*f.successRatePercent(), 200.0 / 3.0);
  EXPECT_DOUBLE_EQ(*f.p99_ms, 30.0);  // rank 3 of 3: exactly the largest

  // t = 2 s: [0, 2) -> two requests, both fine.
  const GraphState at2 = m.stateAt(sec(2));
  const Figures& early = at2.nodes[checkout].figures;
  EXPECT_EQ(early.requests, 2u);
  EXPECT_DOUBLE_EQ(*early.successRatePercent(), 100.0);
  EXPECT_DOUBLE_EQ(*early.p99_ms, 20.0);

  // A 1 s window at 3.7 s: [2, 3) -> the 503 alone.
  const GraphState narrow = m.stateAt(ms(3700), sec(1));
  const Figures& last = narrow.nodes[checkout].figures;
  EXPECT_EQ(last.requests, 1u);
  EXPECT_DOUBLE_EQ(*last.successRatePercent(), 0.0);

  // Before the first complete second nothing is counted.
  EXPECT_EQ(m.stateAt(ms(900)).nodes[checkout].figures.requests, 0u);
  EXPECT_FALSE(m.stateAt(ms(900)).nodes[checkout].figures.p99_ms.has_value());
}

TEST(RunModel, EdgesAreObservedCallPathsBetweenServicesAndEntryNodes) {
  const RunModel m = fourRequests().model();
  const Topology& topo = m.graph().topology;
  ASSERT_EQ(topo.nodes.size(), 3u);
  EXPECT_EQ(topo.nodes[0].name, "checkout");
  EXPECT_EQ(topo.nodes[1].name, "frontend");
  EXPECT_EQ(topo.nodes[2].name, "ingress-gateway");
  EXPECT_EQ(topo.nodes[2].kind, NodeKind::kEntry);
  ASSERT_EQ(m.graph().edges.size(), 2u);

  const GraphState s = m.stateAt(ms(3700));
  const EdgeState& call = edgeState(m, s, "frontend", "checkout");
  EXPECT_TRUE(call.seen);
  EXPECT_EQ(call.figures.requests, 3u);
  EXPECT_EQ(call.mtls, MtlsState::kMutual);
  EXPECT_EQ(edgeState(m, s, "ingress-gateway", "frontend").figures.requests, 1u);
  // Routed without subsets: counted for the answering instance's version (frontend-v1-0).
  const std::size_t frontend = nodeIndex(m, "frontend");
  ASSERT_EQ(s.nodes[frontend].versions.size(), 1u);
  EXPECT_EQ(s.nodes[frontend].versions[0].figures.requests, 1u);
  // An edge is seen from the end of its first request on.
  EXPECT_FALSE(edgeState(m, m.stateAt(ms(450)), "frontend", "checkout").seen);
  EXPECT_TRUE(edgeState(m, m.stateAt(ms(450)), "ingress-gateway", "frontend").seen);
}

TEST(RunModel, CallersResolveByRegistryDestinationAndInstanceNaming) {
  TraceBuilder b;
  // checkout-v2-0 calls before anyone has called it: resolved by its name.
  b.source({.source = "checkout-v2-0", .principal = "cluster.local/ns/shop/sa/checkout", .destination = "payments",
            .instance = "payments-v1-0", .end = ms(100)});
  b.source({.source = "frontend-v1-0", .destination = "checkout", .subset = "v1", .instance = "checkout-v1-0",
            .end = ms(200)});
  b.source({.source = "client-batch", .principal = "cluster.local/ns/shop/sa/batch", .destination = "payments",
            .instance = "payments-v1-1", .end = ms(300)});
  const RunModel m = b.model();
  const Topology& topo = m.graph().topology;

  const auto checkout = topo.nodeNamed("checkout");
  ASSERT_TRUE(checkout);
  ASSERT_EQ(topo.nodes[*checkout].versions.size(), 2u);
  EXPECT_EQ(topo.nodes[*checkout].versions[0].name, "v1");
  EXPECT_EQ(topo.nodes[*checkout].versions[1].name, "v2");
  const auto v2_instance = topo.instanceNamed("checkout-v2-0");
  ASSERT_TRUE(v2_instance);
  EXPECT_EQ(v2_instance->node, *checkout);
  EXPECT_EQ(topo.nodes[*checkout].instances[v2_instance->instance].version, 1u);

  EXPECT_EQ(topo.nodeOfCaller("checkout-v2-0"), checkout);
  EXPECT_EQ(topo.nodes[*topo.nodeOfCaller("client-batch")].name, "client-batch");
  EXPECT_EQ(topo.nodes[*topo.nodeOfCaller("client-batch")].kind, NodeKind::kEntry);
  EXPECT_TRUE(m.graph().edgeBetween(*checkout, *topo.nodeNamed("payments")));
  EXPECT_EQ(topo.nodes[*topo.nodeNamed("payments")].instances.size(), 2u);
}

TEST(RunModel, AnUnauthenticatedClientIsAnExternalNodeWithARejectedEdge) {
  TraceBuilder b;
  // A plaintext client outside the mesh: only the callee reports, UMTLS.
  for (int i = 0; i < 3; ++i)
    b.destination({.principal = "", .destination = "ledger", .instance = "", .status = 503, .flags = kMtlsRejected,
                   .end = ms(100 + 100 * i), .duration = 0, .span = "u" + std::to_string(i)});
  // An in-mesh caller in plaintext: the callee's line first, then the caller claims it.
  const Hop plain{.source = "teller-v1-0", .principal = "", .destination = "ledger", .instance = "ledger-v1-0",
                  .end = ms(500), .mtls = false, .span = "p1"};
  b.destination(plain).source(plain);
  const RunModel m = b.model();
  const Topology& topo = m.graph().topology;

  const auto outsider = topo.nodeNamed("unauthenticated");
  ASSERT_TRUE(outsider);
  EXPECT_EQ(topo.nodes[*outsider].kind, NodeKind::kExternal);
  const GraphState s = m.stateAt(sec(1));
  const EdgeState& rejected = edgeState(m, s, "unauthenticated", "ledger");
  EXPECT_EQ(rejected.figures.requests, 3u);
  EXPECT_EQ(rejected.figures.rejected, 3u);
  EXPECT_EQ(rejected.mtls, MtlsState::kRejected);
  const EdgeState& plaintext = edgeState(m, s, "teller", "ledger");
  EXPECT_EQ(plaintext.figures.requests, 1u);
  EXPECT_EQ(plaintext.mtls, MtlsState::kPlaintext);
  // Per-service figures are the callers' (source) lines only: the claimed line once,
  // the outsider's not at all.
  EXPECT_EQ(s.nodes[*topo.nodeNamed("ledger")].figures.requests, 1u);
}

TEST(RunModel, AClaimedPlaintextLineLeavesNoExternalNode) {
  TraceBuilder b;
  const Hop plain{.source = "teller-v1-0", .principal = "", .destination = "ledger", .instance = "ledger-v1-0",
                  .end = ms(500), .mtls = false, .span = "p1"};
  b.destination(plain).source(plain);
  const RunModel m = b.model();
  EXPECT_FALSE(m.graph().topology.nodeNamed("unauthenticated"));
  EXPECT_EQ(m.graph().edges.size(), 1u);
}

TEST(RunModel, BreakerIsOpenAtTAndTripsCountOverTheWindow) {
  TraceBuilder b;
  b.add(sec(20), testing::breakerLine("payments", true));
  b.add(ms(20300), testing::breakerLine("payments", false));
  b.add(ms(20400), testing::breakerLine("payments", true, "checkout-v1-1", "maxConnections"));
  b.source({.source = "checkout-v1-0", .destination = "payments", .instance = "payments-v1-0", .end = sec(1)});
  const RunModel m = b.model();
  const std::size_t payments = nodeIndex(m, "payments");

  const BreakerBadge at20 = m.stateAt(ms(20100)).nodes[payments].breaker;
  EXPECT_TRUE(at20.open);
  EXPECT_EQ(at20.trips, 1);
  EXPECT_EQ(at20.thresholds, std::vector<std::string>{"retryBudget"});
  const BreakerBadge at21 = m.stateAt(sec(21)).nodes[payments].breaker;
  EXPECT_TRUE(at21.open);  // checkout-v1-1's maxConnections is still over
  EXPECT_EQ(at21.trips, 2);
  EXPECT_EQ(at21.thresholds, std::vector<std::string>{"maxConnections"});
  EXPECT_EQ(m.stateAt(ms(25200)).nodes[payments].breaker.trips, 1);  // (20.2, 25.2]
  EXPECT_FALSE(m.stateAt(ms(19999)).nodes[payments].breaker.open);
}

TEST(RunModel, EjectionsFaultsAndCrashesSetInstanceHealth) {
  TraceBuilder b;
  for (int i = 0; i < 3; ++i)
    b.source({.source = "checkout-v1-0", .destination = "payments", .instance = "payments-v1-" + std::to_string(i),
              .end = ms(100 + i)});
  b.add(sec(20), testing::faultLine("latency", "payments v1", {"payments-v1-0", "payments-v1-1", "payments-v1-2"},
                                    true));
  b.add(sec(20), testing::faultLine("control-plane-down", "mesh", {}, true));
  b.add(ms(20170), testing::ejectionLine("payments", "payments-v1-0", true));
  b.add(sec(40), testing::faultLine("crash", "payments #1", {"payments-v1-1"}, true));
  b.add(sec(50), testing::faultLine("latency", "payments v1", {"payments-v1-0", "payments-v1-1", "payments-v1-2"},
                                    false));
  b.add(sec(50), testing::faultLine("crash", "payments #1", {"payments-v1-1"}, false));
  b.add(ms(55020), testing::ejectionLine("payments", "payments-v1-0", false));
  const RunModel m = b.model();
  const std::size_t payments = nodeIndex(m, "payments");

  const GraphState at30 = m.stateAt(sec(30));
  const NodeState& n30 = at30.nodes[payments];
  EXPECT_EQ(n30.ejected, 1);
  EXPECT_EQ(n30.instances[0].health, Health::kEjected);
  EXPECT_EQ(n30.instances[1].health, Health::kHealthy);
  EXPECT_EQ(n30.faults, std::vector<std::string>{"latency"});
  ASSERT_EQ(at30.faults.size(), 2u);
  EXPECT_EQ(at30.faults[0].type, "latency");
  EXPECT_FALSE(at30.faults[0].mesh_wide);
  EXPECT_TRUE(at30.faults[1].mesh_wide);

  const GraphState at45 = m.stateAt(sec(45));
  const NodeState& n45 = at45.nodes[payments];
  EXPECT_EQ(n45.instances[1].health, Health::kDown);
  EXPECT_EQ(n45.down, 1);
  EXPECT_EQ(n45.faults, (std::vector<std::string>{"crash", "latency"}));

  const GraphState at52 = m.stateAt(sec(52));
  const NodeState& n52 = at52.nodes[payments];
  EXPECT_EQ(n52.down, 0);
  EXPECT_TRUE(n52.faults.empty());
  EXPECT_EQ(n52.ejected, 1);  // the ejection lasts until 55.02 s
  EXPECT_EQ(m.stateAt(sec(56)).nodes[payments].ejected, 0);
  EXPECT_EQ(m.stateAt(sec(56)).faults.size(), 1u);  // control-plane-down never stopped
}

TEST(RunModel, MarkersAreTimeSortedWithFailedExpectationsAtTheirDecision) {
  TraceBuilder b;
  b.add(sec(20), testing::faultLine("abort", "payments #0", {"payments-v1-0"}, true));
  b.add(ms(20170), testing::ejectionLine("payments", "payments-v1-0", true));
  b.add(sec(50), testing::faultLine("abort", "payments #0", {"payments-v1-0"}, false));
  b.add(sec(120), VerdictEvent{"recovers payments", "recovers", false, "ejectedInstances=[payments-v1-0]",
                               "still ejected", sec(110)});
  b.add(sec(120), VerdictEvent{"mtls", "mtls", true, "coverage=100.0", "", std::nullopt});
  const RunModel m = b.model();
  const auto& markers = m.markers();
  ASSERT_EQ(markers.size(), 4u);
  EXPECT_EQ(markers[0].kind, MarkerKind::kFaultStart);
  EXPECT_EQ(markers[0].label, "fault abort start: payments #0");
  EXPECT_EQ(markers[1].kind, MarkerKind::kEjection);
  EXPECT_EQ(markers[1].label, "ejected payments-v1-0 (consecutive5xx, 30.000 s)");
  EXPECT_EQ(markers[2].kind, MarkerKind::kFaultStop);
  EXPECT_EQ(markers[3].kind, MarkerKind::kExpectationFailed);
  EXPECT_EQ(markers[3].t, sec(110));
  ASSERT_EQ(m.expectations().size(), 2u);
  EXPECT_EQ(m.expectations()[0].decided_at, sec(110));
  // Verdict lines come after the run: they do not stretch the timeline.
  EXPECT_EQ(m.endTime(), sec(50));
}

TEST(RunModel, StreamingAppendsGiveTheSameStateAsAWholeTrace) {
  const TraceBuilder b = fourRequests();
  const RunModel whole = b.model();
  RunModel streamed;
  const auto& entries = b.entries();
  std::uint64_t structure = streamed.structureRevision();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    streamed.append(entries[i]);
    // Queries between appends (as the live view makes them) must not disturb anything.
    const GraphState s = streamed.stateAt(sec(4));
    EXPECT_EQ(s.nodes.size(), streamed.graph().topology.nodes.size());
    if (i == 1) {
      EXPECT_GT(streamed.structureRevision(), structure);  // frontend and ingress appeared
      structure = streamed.structureRevision();
    }
  }
  ASSERT_EQ(streamed.graph().topology.nodes.size(), whole.graph().topology.nodes.size());
  for (const TimeNs t : {ms(900), sec(2), ms(3700), sec(9)}) {
    const GraphState a = whole.stateAt(t), c = streamed.stateAt(t);
    for (std::size_t n = 0; n < a.nodes.size(); ++n) {
      EXPECT_EQ(a.nodes[n].figures.requests, c.nodes[n].figures.requests);
      EXPECT_EQ(a.nodes[n].figures.p99_ms, c.nodes[n].figures.p99_ms);
    }
  }
  EXPECT_EQ(streamed.revision(), entries.size());
}

TEST(RunModel, NodeSeriesHasOneBucketPerSecond) {
  const RunModel m = fourRequests().model();
  const auto points = m.nodeSeries(nodeIndex(m, "checkout"));
  ASSERT_EQ(points.size(), 4u);  // buckets 0..3
  EXPECT_EQ(points[0].from, 0);
  EXPECT_EQ(points[2].from, sec(2));
  EXPECT_EQ(points[2].figures.requests, 1u);
  EXPECT_EQ(points[2].figures.successes, 0u);
  EXPECT_DOUBLE_EQ(*points[3].figures.p99_ms, 40.0);
  EXPECT_DOUBLE_EQ(points[1].figures.requestsPerSecond(), 1.0);
}

}  // namespace
}  // namespace meshproof::viz
