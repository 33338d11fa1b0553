// Kamada-Kawai / Fruchterman-Reingold per connected component (Boost.Graph), then
// orientation, overlap-free scaling and packing (see graph_layout.h).
#include "viz/layout/graph_layout.h"

#include <algorithm>
// Kamada-Kawai's all-pairs shortest paths (johnson_all_pairs_shortest_paths) trips
// GCC's -Wmaybe-uninitialized inside Boost's edge iterators: a false positive in
// Boost's headers, silenced for them only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/circle_layout.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/fruchterman_reingold.hpp>
#include <boost/graph/kamada_kawai_spring_layout.hpp>
#include <boost/graph/random_layout.hpp>
#include <boost/graph/topology.hpp>
#include <boost/property_map/property_map.hpp>
#include <boost/random/linear_congruential.hpp>
#pragma GCC diagnostic pop
#include <cmath>
#include <numeric>
#include <set>
#include <utility>

namespace meshproof::viz {
namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
using Point = boost::square_topology<>::point_type;

constexpr unsigned kFruchtermanReingoldSeed = 20240611;
// Large layouts are stretched at most this much to pull close pairs apart (a few
// overlaps may remain; the view zooms).
constexpr double kFruchtermanReingoldMaxExtraScale = 3.0;

constexpr std::size_t kFruchtermanReingoldIterations = 60;

// Fruchterman-Reingold's repulsion k²/d, ten times over.
struct StrongRepulsion {
  template <typename G>
  double operator()(typename boost::graph_traits<G>::vertex_descriptor,
                    typename boost::graph_traits<G>::vertex_descriptor, double k, double d, const G&) const {
    return 10.0 * k * k / d;
  }
};

struct Component {
  std::vector<std::size_t> nodes;  // global indices, ascending
  std::vector<LayoutPoint> points;  // same order
  double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
};

double maxBoxSide(const std::vector<LayoutBox>& boxes, const std::vector<std::size_t>& nodes) {
  double side = 1;
  for (const std::size_t n : nodes) side = std::max({side, boxes[n].width, boxes[n].height});
  return side;
}

// Boost positions for one component's subgraph (local indices 0..k-1).
std::vector<LayoutPoint> springLayout(const Graph& g, double unit) {
  const std::size_t k = boost::num_vertices(g);
  std::vector<Point> position(k);
  auto position_map = boost::make_iterator_property_map(position.begin(), boost::get(boost::vertex_index, g));
  if (k <= kKamadaKawaiMaxNodes) {
    boost::circle_graph_layout(g, position_map, unit * static_cast<double>(k) / 2.0);
    boost::kamada_kawai_spring_layout(g, position_map,
                                      boost::make_constant_property<Graph::edge_descriptor>(1.0),
                                      boost::square_topology<>(), boost::edge_length(unit));
  } else {
    // Boost 1.74's grid_force_pairs sizes its cells from the topology's area where it
    // means its side (2·area/√n, not 2·side/√n), which is right only for a square of
    // side 1: anything larger makes one cell and O(n²) pairs (seconds at 1,000 nodes).
    // So lay out in the unit square (scaling 0.5 spans [-0.5, 0.5]) and scale up
    // afterwards. The default schedule starts at a temperature of iterations/10, ten
    // times the square; start at a tenth of it instead, and repel harder than k²/d,
    // which on service graphs (hubs, layers of look-alike services) piles nodes up.
    boost::minstd_rand generator(kFruchtermanReingoldSeed);
    boost::square_topology<boost::minstd_rand> topology(generator, 0.5);
    boost::random_graph_layout(g, position_map, topology);
    boost::fruchterman_reingold_force_directed_layout(
        g, position_map, topology,
        boost::repulsive_force(StrongRepulsion{})
            .cooling(boost::linear_cooling<double>(kFruchtermanReingoldIterations, 0.1)));
  }
  const double side = k <= kKamadaKawaiMaxNodes ? 1.0 : unit * std::sqrt(static_cast<double>(k));
  std::vector<LayoutPoint> points(k);
  for (std::size_t i = 0; i < k; ++i) points[i] = {position[i][0] * side, position[i][1] * side};
  return points;
}

// Turns the points about their centre so that the sum of the call vectors points
// right (+x): callers on the left, callees on the right.
void orient(std::vector<LayoutPoint>& points, const std::vector<std::pair<std::size_t, std::size_t>>& calls) {
  double sx = 0, sy = 0;
  for (const auto& [from, to] : calls) {
    const double dx = points[to].x - points[from].x, dy = points[to].y - points[from].y;
    const double length = std::hypot(dx, dy);
    if (length > 0) sx += dx / length, sy += dy / length;
  }
  if (std::hypot(sx, sy) < 1e-9) return;
  const double angle = -std::atan2(sy, sx);
  const double c = std::cos(angle), s = std::sin(angle);
  double cx = 0, cy = 0;
  for (const LayoutPoint& p : points) cx += p.x, cy += p.y;
  cx /= static_cast<double>(points.size());
  cy /= static_cast<double>(points.size());
  for (LayoutPoint& p : points) {
    const double x = p.x - cx, y = p.y - cy;
    p = {x * c - y * s, x * s + y * c};
  }
}

// The least uniform scale that leaves `gap` between every two boxes.
double separatingScale(const std::vector<LayoutPoint>& points, const std::vector<LayoutBox>& boxes,
                       const std::vector<std::size_t>& nodes, double gap) {
  double scale = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    for (std::size_t j = i + 1; j < points.size(); ++j) {
      const double dx = std::abs(points[i].x - points[j].x), dy = std::abs(points[i].y - points[j].y);
      const double need_x = (boxes[nodes[i]].width + boxes[nodes[j]].width) / 2 + gap;
      const double need_y = (boxes[nodes[i]].height + boxes[nodes[j]].height) / 2 + gap;
      // Separated along x or along y, whichever needs less stretching.
      const double sx = dx > 1e-9 ? need_x / dx : HUGE_VAL;
      const double sy = dy > 1e-9 ? need_y / dy : HUGE_VAL;
      const double pair = std::min(sx, sy);
      if (std::isfinite(pair)) scale = std::max(scale, pair);
    }
  }
  return scale;
}

}  // namespace

std::vector<LayoutPoint> layoutGraph(const std::vector<LayoutBox>& boxes, const std::vector<LayoutEdge>& edges,
                                     const LayoutOptions& options) {
  const std::size_t n = boxes.size();
  std::vector<LayoutPoint> result(n);
  if (n == 0) return result;

  std::set<std::pair<std::size_t, std::size_t>> undirected;
  for (const LayoutEdge& e : edges)
    if (e.from != e.to && e.from < n && e.to < n) undirected.insert(std::minmax(e.from, e.to));
  Graph whole(n);
  for (const auto& [a, b] : undirected) boost::add_edge(a, b, whole);
  std::vector<int> component_of(n);
  const int component_count = boost::connected_components(
      whole, boost::make_iterator_property_map(component_of.begin(), boost::get(boost::vertex_index, whole)));

  std::vector<Component> components(static_cast<std::size_t>(component_count));
  for (std::size_t v = 0; v < n; ++v) components[static_cast<std::size_t>(component_of[v])].nodes.push_back(v);

  for (Component& c : components) {
    const std::size_t k = c.nodes.size();
    std::vector<std::size_t> local(n, 0);
    for (std::size_t i = 0; i < k; ++i) local[c.nodes[i]] = i;
    Graph g(k);
    for (const auto& [a, b] : undirected)
      if (component_of[a] == component_of[c.nodes[0]]) boost::add_edge(local[a], local[b], g);
    std::vector<std::pair<std::size_t, std::size_t>> calls;
    for (const LayoutEdge& e : edges)
      if (e.from != e.to && e.from < n && e.to < n && component_of[e.from] == component_of[c.nodes[0]])
        calls.emplace_back(local[e.from], local[e.to]);

    const double unit = maxBoxSide(boxes, c.nodes) + options.gap;
    c.points = k == 1 ? std::vector<LayoutPoint>{{0, 0}} : springLayout(g, unit);
    orient(c.points, calls);
    if (k > 1) {
      double scale = separatingScale(c.points, boxes, c.nodes, options.gap);
      if (k > kKamadaKawaiMaxNodes) scale = std::min(scale, kFruchtermanReingoldMaxExtraScale);
      if (scale > 0)
        for (LayoutPoint& p : c.points) p = {p.x * scale, p.y * scale};
    }
    c.min_x = c.min_y = HUGE_VAL;
    c.max_x = c.max_y = -HUGE_VAL;
    for (std::size_t i = 0; i < k; ++i) {
      const LayoutBox& b = boxes[c.nodes[i]];
      c.min_x = std::min(c.min_x, c.points[i].x - b.width / 2);
      c.max_x = std::max(c.max_x, c.points[i].x + b.width / 2);
      c.min_y = std::min(c.min_y, c.points[i].y - b.height / 2);
      c.max_y = std::max(c.max_y, c.points[i].y + b.height / 2);
    }
  }

  // Pack: largest first (ties: lowest node first), rows no wider than the widest
  // component or a square's side, whichever is wider.
  std::vector<std::size_t> order(components.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return components[a].nodes.size() > components[b].nodes.size();
  });
  double area = 0, widest = 0;
  for (const Component& c : components) {
    const double w = c.max_x - c.min_x + options.component_gap, h = c.max_y - c.min_y + options.component_gap;
    area += w * h;
    widest = std::max(widest, w);
  }
  const double row_limit = std::max(widest, std::sqrt(area) * 1.2);
  double x = 0, y = 0, row_height = 0;
  for (const std::size_t index : order) {
    const Component& c = components[index];
    const double w = c.max_x - c.min_x, h = c.max_y - c.min_y;
    if (x > 0 && x + w > row_limit) {
      x = 0;
      y += row_height + options.component_gap;
      row_height = 0;
    }
    for (std::size_t i = 0; i < c.nodes.size(); ++i)
      result[c.nodes[i]] = {c.points[i].x - c.min_x + x, c.points[i].y - c.min_y + y};
    x += w + options.component_gap;
    row_height = std::max(row_height, h);
  }
  return result;
}

}  // namespace meshproof::viz
