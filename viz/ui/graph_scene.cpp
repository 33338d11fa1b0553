// Builds node and edge items from a RunModel's graph, places them with the Boost.Graph
// layout, pushes GraphStates into them, and renders offscreen (see graph_scene.h).
#include "viz/ui/graph_scene.h"

#include <QGraphicsSceneHelpEvent>
#include <QPainter>
#include <set>

#include "viz/layout/graph_layout.h"
#include "viz/ui/call_edge_item.h"
#include "viz/ui/overlay_painter.h"
#include "viz/ui/service_node_item.h"
#include "viz/ui/style.h"

namespace meshproof::viz {
namespace {

// Free space between cards: an edge label (about 170 px) fits between two of them
// with the line and its arrowhead visible on both sides.
constexpr double kLayoutGap = 240;
constexpr double kPairBend = 46;  // A -> B and B -> A bend apart by this much
constexpr double kMargin = 60;

}  // namespace

GraphScene::GraphScene(QObject* parent) : QGraphicsScene(parent) {
  setBackgroundBrush(style::background());
  // Items change every frame and rarely move: an index would cost more than it saves.
  setItemIndexMethod(QGraphicsScene::NoIndex);
  connect(this, &QGraphicsScene::selectionChanged, this, &GraphScene::onSelectionChanged);
}

GraphScene::~GraphScene() {
  // Deleting a selected item announces a selection change: not to us any more.
  blockSignals(true);
  nodes_.clear();
  edges_.clear();
  clear();
}

void GraphScene::setModel(const RunModel* model) {
  model_ = model;
  build();
}

bool GraphScene::syncStructure() {
  if (!model_ || model_->structureRevision() == structure_revision_) return false;
  build();
  return true;
}

void GraphScene::build() {
  std::map<std::string, QPointF> pinned;
  for (ServiceNodeItem* n : nodes_)
    if (n->userPlaced()) pinned[n->name().toStdString()] = n->pos();
  const int selected = selectedNode();
  const std::string selected_name = selected >= 0 ? nodes_[static_cast<std::size_t>(selected)]->name().toStdString()
                                                  : std::string();
  blockSignals(true);
  clear();
  blockSignals(false);
  nodes_.clear();
  edges_.clear();
  node_by_name_.clear();
  shown_ = {};
  if (!model_) return;
  const ServiceGraph& g = model_->graph();
  structure_revision_ = model_->structureRevision();
  for (const Topology::Node& node : g.topology.nodes) {
    auto* item = new ServiceNodeItem(node);
    node_by_name_[node.name] = nodes_.size();
    nodes_.push_back(item);
    addItem(item);
  }
  std::set<std::pair<std::size_t, std::size_t>> pairs;
  for (const CallEdge& e : g.edges) pairs.insert({e.from, e.to});
  for (const CallEdge& e : g.edges) {
    if (e.from == e.to) {
      edges_.push_back(nullptr);
      continue;
    }
    auto* item = new CallEdgeItem(nodes_[e.from], nodes_[e.to]);
    nodes_[e.from]->addEdge(item);
    nodes_[e.to]->addEdge(item);
    edges_.push_back(item);
    addItem(item);
  }
  placeNodes(pinned);
  for (std::size_t i = 0; i < edges_.size(); ++i)
    if (edges_[i] && pairs.count({g.edges[i].to, g.edges[i].from})) edges_[i]->setBend(kPairBend);
  if (!selected_name.empty()) {
    if (const auto it = node_by_name_.find(selected_name); it != node_by_name_.end())
      nodes_[it->second]->setSelected(true);
  }
  setSceneRect(graphRect());
}

void GraphScene::placeNodes(const std::map<std::string, QPointF>& pinned) {
  const ServiceGraph& g = model_->graph();
  std::vector<LayoutBox> boxes;
  for (const Topology::Node& node : g.topology.nodes) {
    const QSizeF size = ServiceNodeItem::sizeFor(node);
    boxes.push_back({size.width(), size.height()});
  }
  std::vector<LayoutEdge> edges;
  for (const CallEdge& e : g.edges) edges.push_back({e.from, e.to});
  LayoutOptions options;
  options.gap = kLayoutGap;
  const std::vector<LayoutPoint> points = layoutGraph(boxes, edges, options);
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const auto it = pinned.find(nodes_[i]->name().toStdString());
    nodes_[i]->setPos(it != pinned.end() ? it->second : QPointF(points[i].x, points[i].y));
  }
  for (CallEdgeItem* e : edges_)
    if (e) e->updateGeometry();
}

void GraphScene::relayout() {
  if (!model_) return;
  placeNodes({});
  setSceneRect(graphRect());
}

void GraphScene::showState(const GraphState& state) {
  if (state.nodes.size() != nodes_.size() || state.edges.size() != edges_.size()) return;  // stale
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    nodes_[i]->setState(state.nodes[i]);
    nodes_[i]->setOutgoing(0);
  }
  // Entry and external nodes show what they send.
  if (model_) {
    const ServiceGraph& g = model_->graph();
    std::vector<double> outgoing(nodes_.size(), 0.0);
    for (std::size_t e = 0; e < g.edges.size(); ++e) outgoing[g.edges[e].from] += state.edges[e].figures.requestsPerSecond();
    for (std::size_t i = 0; i < nodes_.size(); ++i)
      if (nodes_[i]->kind() != NodeKind::kService) nodes_[i]->setOutgoing(outgoing[i]);
  }
  for (std::size_t e = 0; e < edges_.size(); ++e)
    if (edges_[e]) edges_[e]->setState(state.edges[e]);
  shown_ = state;
}

ServiceNodeItem* GraphScene::nodeItem(std::string_view name) const {
  const auto it = node_by_name_.find(name);
  return it == node_by_name_.end() ? nullptr : nodes_[it->second];
}

CallEdgeItem* GraphScene::edgeItem(std::string_view from, std::string_view to) const {
  const ServiceNodeItem* a = nodeItem(from);
  const ServiceNodeItem* b = nodeItem(to);
  for (CallEdgeItem* e : edges_)
    if (e && e->from() == a && e->to() == b) return e;
  return nullptr;
}

QRectF GraphScene::graphRect() const {
  QRectF r;
  for (const ServiceNodeItem* n : nodes_) r = r.united(n->sceneBoundingRect());
  for (const CallEdgeItem* e : edges_)
    if (e) r = r.united(e->boundingRect());
  return r.adjusted(-kMargin, -kMargin, kMargin, kMargin);
}

void GraphScene::selectNode(int node) {
  clearSelection();
  if (node >= 0 && static_cast<std::size_t>(node) < nodes_.size()) nodes_[static_cast<std::size_t>(node)]->setSelected(true);
}

int GraphScene::selectedNode() const {
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (nodes_[i]->isSelected()) return static_cast<int>(i);
  return -1;
}

void GraphScene::helpEvent(QGraphicsSceneHelpEvent* event) {
  for (QGraphicsItem* item : items(event->scenePos()))
    if (auto* node = dynamic_cast<ServiceNodeItem*>(item)) node->updateToolTip();
  QGraphicsScene::helpEvent(event);
}

void GraphScene::onSelectionChanged() { Q_EMIT nodeSelected(selectedNode()); }

RenderedFrame renderGraph(GraphScene& scene, const QSize& size, const QString& title, double scale) {
  RenderedFrame frame;
  frame.image = QImage(size, QImage::Format_ARGB32_Premultiplied);
  frame.image.fill(style::background());
  QPainter painter(&frame.image);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setRenderHint(QPainter::TextAntialiasing);
  // Room for the status card above and the legend below.
  const QRectF target = QRectF(frame.image.rect()).adjusted(16, 120, -16, -64);
  const QRectF graph = scene.graphRect();
  QRectF source = graph;
  double s = scale;
  if (s <= 0) {
    s = std::min(target.width() / graph.width(), target.height() / graph.height());
  } else {
    source = QRectF(QPointF(0, 0), target.size() / s);
    source.moveCenter(graph.center());
  }
  const QSizeF drawn = source.size() * s;
  const QRectF exact(target.center() - QPointF(drawn.width() / 2, drawn.height() / 2), drawn);
  scene.render(&painter, exact, source, Qt::IgnoreAspectRatio);
  frame.scene_to_image = QTransform::fromTranslate(-source.left(), -source.top()) * QTransform::fromScale(s, s) *
                         QTransform::fromTranslate(exact.left(), exact.top());
  paintStatusCard(painter, QRectF(frame.image.rect()), scene.shownState(), title);
  paintLegend(painter, QRectF(frame.image.rect()));
  return frame;
}

}  // namespace meshproof::viz
