// Graph layout: deterministic, no two boxes overlap, calls run left to right,
// components are packed apart, and the large-graph path (Fruchterman-Reingold)
// stays deterministic and finite.
#include "viz/layout/graph_layout.h"

#include <gtest/gtest.h>

#include <cmath>

namespace meshproof::viz {
namespace {

bool overlap(const LayoutPoint& a, const LayoutBox& ba, const LayoutPoint& b, const LayoutBox& bb, double gap) {
  return std::abs(a.x - b.x) < (ba.width + bb.width) / 2 + gap - 1e-6 &&
         std::abs(a.y - b.y) < (ba.height + bb.height) / 2 + gap - 1e-6;
}

void expectNoOverlap(const std::vector<LayoutPoint>& p, const std::vector<LayoutBox>& boxes, double gap) {
  for (std::size_t i = 0; i < p.size(); ++i)
    for (std::size_t j = i + 1; j < p.size(); ++j)
      EXPECT_FALSE(overlap(p[i], boxes[i], p[j], boxes[j], gap)) << i << " and " << j;
}

// ingress -> frontend -> checkout -> payments, checkout -> fraud, frontend -> catalog.
const std::vector<LayoutEdge> kShop = {{0, 1}, {1, 2}, {2, 3}, {2, 4}, {1, 5}};

TEST(GraphLayout, IsDeterministic) {
  const std::vector<LayoutBox> boxes(6, {240, 120});
  EXPECT_EQ(layoutGraph(boxes, kShop), layoutGraph(boxes, kShop));
}

TEST(GraphLayout, BoxesKeepTheGapBetweenThem) {
  std::vector<LayoutBox> boxes = {{150, 60}, {240, 150}, {240, 180}, {240, 120}, {240, 120}, {240, 120}};
  LayoutOptions options;
  options.gap = 50;
  expectNoOverlap(layoutGraph(boxes, kShop, options), boxes, 50);
}

TEST(GraphLayout, CallsRunLeftToRight) {
  const std::vector<LayoutBox> boxes(4, {240, 120});
  const auto p = layoutGraph(boxes, {{0, 1}, {1, 2}, {2, 3}});
  EXPECT_LT(p[0].x, p[1].x);
  EXPECT_LT(p[1].x, p[2].x);
  EXPECT_LT(p[2].x, p[3].x);
  // A chain lies flat.
  EXPECT_NEAR(p[0].y, p[3].y, 1.0);
}

TEST(GraphLayout, ComponentsArePackedApart) {
  // Two chains and a lone node.
  const std::vector<LayoutBox> boxes(7, {200, 100});
  const auto p = layoutGraph(boxes, {{0, 1}, {1, 2}, {3, 4}, {4, 5}});
  expectNoOverlap(p, boxes, 70);
  for (const LayoutPoint& q : p) {
    EXPECT_GE(q.x, 100 - 1e-6);  // every box inside the first quadrant
    EXPECT_GE(q.y, 50 - 1e-6);
  }
}

TEST(GraphLayout, LargeGraphsUseAForceLayoutThatIsStillDeterministic) {
  const std::size_t n = kKamadaKawaiMaxNodes + 50;
  std::vector<LayoutBox> boxes(n, {200, 100});
  std::vector<LayoutEdge> edges;
  for (std::size_t i = 1; i < n; ++i) edges.push_back({(i - 1) / 3, i});  // a ternary tree
  const auto a = layoutGraph(boxes, edges), b = layoutGraph(boxes, edges);
  EXPECT_EQ(a, b);
  for (const LayoutPoint& q : a) EXPECT_TRUE(std::isfinite(q.x) && std::isfinite(q.y));
  // Calls run right on average: the sum of their unit vectors points along +x.
  double sx = 0, sy = 0;
  for (const LayoutEdge& e : edges) {
    const double dx = a[e.to].x - a[e.from].x, dy = a[e.to].y - a[e.from].y;
    sx += dx / std::hypot(dx, dy);
    sy += dy / std::hypot(dx, dy);
  }
  EXPECT_GT(sx, 0.0);
  EXPECT_NEAR(sy / sx, 0.0, 1e-9);
}

}  // namespace
}  // namespace meshproof::viz
