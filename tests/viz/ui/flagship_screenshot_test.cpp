// The flagship scenario, run by the real meshproof, rendered offscreen at t = 30 s to
// a PNG under the build directory (flagship-30s.png, looked at by a person too), and
// checked through the scene (which cards, edges, padlocks and badges are there) and
// through the pixels (the colours a platform team reads the picture by).
#include <gtest/gtest.h>

#include <QImage>
#include <cmath>

#include "tests/viz/ui/offscreen_app.h"
#include "viz/model/trace_loader.h"
#include "viz/ui/call_edge_item.h"
#include "viz/ui/graph_scene.h"
#include "viz/ui/service_node_item.h"
#include "viz/ui/style.h"

namespace meshproof::viz {
namespace {

constexpr TimeNs kAt = 30 * kSecond;

bool near(QRgb pixel, const QColor& color, int tolerance = 24) {
  return std::abs(qRed(pixel) - color.red()) <= tolerance && std::abs(qGreen(pixel) - color.green()) <= tolerance &&
         std::abs(qBlue(pixel) - color.blue()) <= tolerance;
}

// Pixels of `color` inside `area` (image coordinates).
int countPixels(const QImage& image, const QRectF& area, const QColor& color) {
  const QRect r = area.toAlignedRect().intersected(image.rect());
  int count = 0;
  for (int y = r.top(); y <= r.bottom(); ++y)
    for (int x = r.left(); x <= r.right(); ++x) count += near(image.pixel(x, y), color) ? 1 : 0;
  return count;
}

class FlagshipScreenshot : public ::testing::Test {
 protected:
  void SetUp() override {
    loadTraceFile(testing::flagshipTrace(), model_);
    scene_.setModel(&model_);
    scene_.showState(model_.stateAt(kAt));
    frame_ = renderGraph(scene_, QSize(1600, 900), QStringLiteral("checkout-canary-under-latency (seed 42)"));
    ASSERT_TRUE(frame_.image.save(QString::fromStdString(testing::testOutputDir() + "/flagship-30s.png")));
  }
  QRectF cardInImage(const char* name) const {
    const ServiceNodeItem* n = scene_.nodeItem(name);
    return frame_.scene_to_image.mapRect(n->card().translated(n->pos()));
  }

  QApplication& app_ = testing::offscreenApp();  // before any Qt member
  RunModel model_;
  GraphScene scene_;
  RenderedFrame frame_;
};

TEST_F(FlagshipScreenshot, ShowsTheShopAndItsCallPaths) {
  for (const char* name : {"ingress-gateway", "frontend", "checkout", "payments"})
    ASSERT_NE(scene_.nodeItem(name), nullptr) << name;
  EXPECT_EQ(scene_.nodeItems().size(), 4u);
  const CallEdgeItem* call = scene_.edgeItem("frontend", "checkout");
  ASSERT_NE(call, nullptr);
  EXPECT_TRUE(call->isVisible());
  EXPECT_EQ(call->state().mtls, MtlsState::kMutual);  // a closed padlock: STRICT mTLS
  EXPECT_GT(call->state().figures.requestsPerSecond(), 150.0);  // 200/s of shoppers
  EXPECT_TRUE(call->label().contains("rps · p99"));
  ASSERT_NE(scene_.edgeItem("checkout", "payments"), nullptr);
  ASSERT_NE(scene_.edgeItem("ingress-gateway", "frontend"), nullptr);
  // The canary subset gets its share of checkout's traffic.
  const ServiceNodeItem* checkout = scene_.nodeItem("checkout");
  ASSERT_EQ(checkout->state().versions.size(), 2u);
  EXPECT_GT(checkout->state().versions[1].figures.requests, 0u);
}

TEST_F(FlagshipScreenshot, PaymentsShowsItsEjectionAndFaultsAtThirtySeconds) {
  // payments-v1-0 is ejected from 20.17 s to 55.02 s in this trace; the latency and
  // abort faults run from 20 s to 50 s.
  const ServiceNodeItem* payments = scene_.nodeItem("payments");
  std::vector<QString> badges;
  for (const NodeBadge& b : payments->badges()) badges.push_back(b.text);
  EXPECT_EQ(badges, (std::vector<QString>{"EJECTED 1/3", "FAULT abort, latency"}));
  EXPECT_EQ(payments->state().instances[0].health, Health::kEjected);
  EXPECT_EQ(scene_.shownState().faults.size(), 2u);
}

TEST_F(FlagshipScreenshot, PixelsCarryTheColoursOfTheState) {
  const QImage& image = frame_.image;
  // The ejection and fault badges are painted inside the payments card...
  const QRectF payments = cardInImage("payments");
  EXPECT_GT(countPixels(image, payments, style::ejectionColor()), 150);
  EXPECT_GT(countPixels(image, payments, style::faultColor()), 150);
  // ...and nowhere on frontend's, whose border is the healthy green.
  const QRectF frontend = cardInImage("frontend");
  EXPECT_EQ(countPixels(image, frontend, style::ejectionColor()), 0);
  EXPECT_GT(countPixels(image, frontend, style::successColor(100.0)), 300);
  // The frontend -> checkout edge is drawn green between frontend's card and the label.
  const CallEdgeItem* call = scene_.edgeItem("frontend", "checkout");
  const QRectF label = frame_.scene_to_image.mapRect(call->labelRect());
  const QRectF line(frontend.right() + 1, label.center().y() - 8, label.left() - frontend.right() - 2, 16);
  ASSERT_GT(line.width(), 4.0);
  EXPECT_GT(countPixels(image, line, style::successColor(100.0)), 3 * line.width());
  // The padlock in the label is the mTLS green.
  const QRectF padlock(label.left(), label.top(), 26, label.height());
  EXPECT_GT(countPixels(image, padlock, style::mtlsColor(MtlsState::kMutual)), 15);
  // No card is drawn off the picture.
  for (const ServiceNodeItem* n : scene_.nodeItems())
    EXPECT_TRUE(QRectF(image.rect()).contains(frame_.scene_to_image.mapRect(n->card().translated(n->pos()))))
        << n->name().toStdString();
}

}  // namespace
}  // namespace meshproof::viz
