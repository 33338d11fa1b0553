// Positions for the service graph, computed by Boost.Graph: Kamada-Kawai for
// components of up to kKamadaKawaiMaxNodes nodes (even edge lengths, few
// crossings), Fruchterman-Reingold (grid force pairs, seeded start) above that.
// Deterministic: the same nodes and edges, in the same order, give the same
// positions, bit for bit.
//
// Boost places points; the boxes drawn around them have sizes. After the layout:
//   - each component is turned so that its calls run left to right on average
//     (entry nodes end up on the left), and
//   - scaled uniformly until no two boxes are closer than `gap` (no overlaps);
//   - components are packed side by side in rows, largest first.
#pragma once
#include <cstddef>
#include <vector>

namespace meshproof::viz {

inline constexpr std::size_t kKamadaKawaiMaxNodes = 150;

struct LayoutBox {
  double width = 0;
  double height = 0;
};

struct LayoutEdge {
  std::size_t from = 0;  // directed: caller -> callee (used for orientation only)
  std::size_t to = 0;
};

struct LayoutPoint {
  double x = 0;
  double y = 0;
  bool operator==(const LayoutPoint&) const = default;
};

struct LayoutOptions {
  double gap = 70;              // least free space between two boxes
  double component_gap = 140;   // between packed components
};

// Centres of the boxes, in the order given.
std::vector<LayoutPoint> layoutGraph(const std::vector<LayoutBox>& boxes, const std::vector<LayoutEdge>& edges,
                                     const LayoutOptions& options = {});

}  // namespace meshproof::viz
