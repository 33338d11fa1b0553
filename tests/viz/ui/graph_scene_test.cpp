// GraphScene on a hand-written trace: an item per node and call path, badges and
// padlocks from the state at t, edges hidden until their first request, cards that
// drag their edges along, and a deterministic layout without overlaps.
#include "viz/ui/graph_scene.h"

#include <gtest/gtest.h>

#include "tests/viz/model/trace_builders.h"
#include "tests/viz/ui/offscreen_app.h"
#include "viz/ui/call_edge_item.h"
#include "viz/ui/service_node_item.h"

namespace meshproof::viz {
namespace {

using testing::ms;
using testing::sec;
using testing::TraceBuilder;

// ingress -> frontend -> checkout (mTLS), plus a plaintext outsider rejected by ledger
// and a denied in-mesh client; payments ejected and faulted at 20-50 s; a breaker trip.
RunModel shop() {
  TraceBuilder b;
  for (int i = 0; i < 40; ++i) {
    const TimeNs end = ms(100 + 1000 * i);
    b.source({.source = "ingress-gateway-0", .principal = "cluster.local/ns/meshproof-system/sa/ingress-gateway",
              .destination = "frontend", .subset = "", .instance = "frontend-v1-0", .end = end});
    b.source({.source = "frontend-v1-0", .destination = "checkout", .instance = "checkout-v1-0", .end = end});
    b.source({.source = "checkout-v1-0", .principal = "cluster.local/ns/shop/sa/checkout", .destination = "payments",
              .instance = "payments-v1-" + std::to_string(i % 3), .status = i % 4 == 0 ? 503 : 200, .end = end});
    b.destination({.principal = "", .destination = "ledger", .instance = "", .status = 503, .flags = kMtlsRejected,
                   .end = end, .duration = 0, .span = "u" + std::to_string(i)});
  }
  for (int i = 0; i < 6; ++i)
    b.source({.source = "client-intruder", .principal = "cluster.local/ns/shop/sa/intruder", .destination = "payments",
              .instance = "payments-v1-0", .status = 403, .flags = kRbacDenied, .end = sec(25) + ms(i)});
  b.add(sec(20), testing::faultLine("latency", "payments v1", {"payments-v1-0", "payments-v1-1", "payments-v1-2"},
                                    true));
  b.add(ms(20170), testing::ejectionLine("payments", "payments-v1-0", true));
  b.add(ms(20200), testing::breakerLine("payments", true));
  b.add(ms(20300), testing::breakerLine("payments", false));
  b.add(sec(50), testing::faultLine("latency", "payments v1", {"payments-v1-0", "payments-v1-1", "payments-v1-2"},
                                    false));
  return b.model();
}

std::vector<QString> badgeTexts(const ServiceNodeItem* item) {
  std::vector<QString> texts;
  for (const NodeBadge& b : item->badges()) texts.push_back(b.text);
  return texts;
}

TEST(GraphScene, HasAnItemPerNodeAndCallPath) {
  testing::offscreenApp();
  const RunModel model = shop();
  GraphScene scene;
  scene.setModel(&model);
  for (const char* name : {"frontend", "checkout", "payments", "ledger", "ingress-gateway", "unauthenticated",
                           "client-intruder"})
    EXPECT_NE(scene.nodeItem(name), nullptr) << name;
  EXPECT_EQ(scene.nodeItems().size(), 7u);
  EXPECT_EQ(scene.edgeItems().size(), 5u);
  EXPECT_EQ(scene.nodeItem("unauthenticated")->kind(), NodeKind::kExternal);
  EXPECT_NE(scene.edgeItem("frontend", "checkout"), nullptr);
  EXPECT_EQ(scene.edgeItem("checkout", "frontend"), nullptr);
}

TEST(GraphScene, ShowsTheStateAtTheChosenTime) {
  testing::offscreenApp();
  const RunModel model = shop();
  GraphScene scene;
  scene.setModel(&model);

  scene.showState(model.stateAt(ms(20250)));
  const ServiceNodeItem* payments = scene.nodeItem("payments");
  EXPECT_EQ(badgeTexts(payments),
            (std::vector<QString>{"BREAKER OPEN", "EJECTED 1/3", "FAULT latency"}));
  const CallEdgeItem* call = scene.edgeItem("frontend", "checkout");
  EXPECT_TRUE(call->isVisible());
  EXPECT_EQ(call->state().mtls, MtlsState::kMutual);
  EXPECT_EQ(call->label(), "1.0 rps · p99 10 ms");  // [15 s, 20 s): five requests of 10 ms
  const CallEdgeItem* outsider = scene.edgeItem("unauthenticated", "ledger");
  EXPECT_EQ(outsider->state().mtls, MtlsState::kRejected);

  // The breaker closed at 20.3 s; its trip still shows for the window after it.
  scene.showState(model.stateAt(sec(24)));
  EXPECT_EQ(badgeTexts(payments), (std::vector<QString>{"BREAKER ×1", "EJECTED 1/3", "FAULT latency"}));
  scene.showState(model.stateAt(sec(26)));
  EXPECT_EQ(badgeTexts(payments), (std::vector<QString>{"EJECTED 1/3", "FAULT latency"}));
  EXPECT_EQ(scene.edgeItem("client-intruder", "payments")->state().figures.denied, 6u);

  scene.showState(model.stateAt(sec(56)));  // the fault is over; the ejection never returned
  EXPECT_EQ(badgeTexts(payments), std::vector<QString>{"EJECTED 1/3"});
}

TEST(GraphScene, EdgesAppearWithTheirFirstRequest) {
  testing::offscreenApp();
  const RunModel model = shop();
  GraphScene scene;
  scene.setModel(&model);
  scene.showState(model.stateAt(sec(10)));
  EXPECT_TRUE(scene.edgeItem("frontend", "checkout")->isVisible());
  EXPECT_FALSE(scene.edgeItem("client-intruder", "payments")->isVisible());  // first request ends at 25 s
  scene.showState(model.stateAt(sec(30)));
  EXPECT_TRUE(scene.edgeItem("client-intruder", "payments")->isVisible());
}

TEST(GraphScene, DraggingACardMovesItsEdges) {
  testing::offscreenApp();
  const RunModel model = shop();
  GraphScene scene;
  scene.setModel(&model);
  CallEdgeItem* edge = scene.edgeItem("frontend", "checkout");
  const QPointF before = edge->endPoint();
  ServiceNodeItem* checkout = scene.nodeItem("checkout");
  checkout->moveBy(0, 400);
  EXPECT_GT(edge->endPoint().y() - before.y(), 200.0);
  // The arrow still ends just outside the moved card's border.
  const QRectF card = checkout->card().translated(checkout->pos());
  EXPECT_TRUE(card.adjusted(-7, -7, 7, 7).contains(edge->endPoint()));
  EXPECT_FALSE(card.adjusted(1, 1, -1, -1).contains(edge->endPoint()));
}

TEST(GraphScene, LayoutIsDeterministicAndNothingOverlaps) {
  testing::offscreenApp();
  const RunModel model = shop();
  GraphScene a, b;
  a.setModel(&model);
  b.setModel(&model);
  a.showState(model.stateAt(sec(30)));
  for (std::size_t i = 0; i < a.nodeItems().size(); ++i)
    EXPECT_EQ(a.nodeItems()[i]->pos(), b.nodeItems()[i]->pos()) << i;
  std::vector<QRectF> cards;
  for (const ServiceNodeItem* n : a.nodeItems()) cards.push_back(n->card().translated(n->pos()));
  for (std::size_t i = 0; i < cards.size(); ++i)
    for (std::size_t j = i + 1; j < cards.size(); ++j) EXPECT_FALSE(cards[i].intersects(cards[j])) << i << "," << j;
  for (const CallEdgeItem* e : a.edgeItems()) {
    if (!e->isVisible() || e->label().isEmpty()) continue;
    for (const QRectF& card : cards) EXPECT_FALSE(e->labelRect().intersects(card)) << e->label().toStdString();
  }
}

TEST(GraphScene, SelectingACardNamesItsNode) {
  testing::offscreenApp();
  const RunModel model = shop();
  GraphScene scene;
  scene.setModel(&model);
  int selected = -2;
  QObject::connect(&scene, &GraphScene::nodeSelected, [&](int node) { selected = node; });
  scene.nodeItem("payments")->setSelected(true);
  ASSERT_GE(selected, 0);
  EXPECT_EQ(model.graph().topology.nodes[static_cast<std::size_t>(selected)].name, "payments");
  scene.clearSelection();
  EXPECT_EQ(selected, -1);
}

}  // namespace
}  // namespace meshproof::viz
