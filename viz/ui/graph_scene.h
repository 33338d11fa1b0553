// The service graph as a QGraphicsScene: one ServiceNodeItem per node and one
// CallEdgeItem per call path of a RunModel, placed by the Boost.Graph layout, and
// showState() to make every item show a GraphState. When the model's structure
// grows (live mode), syncStructure() rebuilds the items and lays them out again,
// keeping nodes the user dragged where they were put.
//
// renderGraph() draws the scene and its overlay into an image (offscreen: the
// screenshot test, the benchmark and `meshproof-viz --screenshot` use it).
#pragma once
#include <QGraphicsScene>
#include <QImage>
#include <QPointF>
#include <QTransform>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "viz/model/run_model.h"

namespace meshproof::viz {

class ServiceNodeItem;
class CallEdgeItem;

class GraphScene final : public QGraphicsScene {
  Q_OBJECT
 public:
  explicit GraphScene(QObject* parent = nullptr);
  ~GraphScene() override;

  void setModel(const RunModel* model);
  // Rebuilds items when the model's structure changed; true when it did.
  bool syncStructure();
  void showState(const GraphState& state);
  const GraphState& shownState() const { return shown_; }
  // Lays every node out again (forgetting where the user dragged them).
  void relayout();

  ServiceNodeItem* nodeItem(std::string_view name) const;
  CallEdgeItem* edgeItem(std::string_view from, std::string_view to) const;
  const std::vector<ServiceNodeItem*>& nodeItems() const { return nodes_; }
  const std::vector<CallEdgeItem*>& edgeItems() const { return edges_; }  // nullptr for self-calls
  // The graph's extent with a margin.
  QRectF graphRect() const;
  void selectNode(int node);
  int selectedNode() const;

 Q_SIGNALS:
  void nodeSelected(int node);  // index into the topology, -1 for none

 private:
  void helpEvent(QGraphicsSceneHelpEvent* event) override;
  void build();
  void placeNodes(const std::map<std::string, QPointF>& pinned);
  void onSelectionChanged();

  const RunModel* model_ = nullptr;
  std::uint64_t structure_revision_ = 0;
  std::vector<ServiceNodeItem*> nodes_;
  std::vector<CallEdgeItem*> edges_;
  std::map<std::string, std::size_t, std::less<>> node_by_name_;
  GraphState shown_;
};

struct RenderedFrame {
  QImage image;
  QTransform scene_to_image;  // where a scene point lands in the image
};

// Draws the whole graph fitted into an image of `size` (or, with `scale` > 0, at that
// zoom around the graph's centre), with the overlay (time, active faults, config) and
// the legend. `title` heads the overlay (e.g. the scenario's name).
RenderedFrame renderGraph(GraphScene& scene, const QSize& size, const QString& title, double scale = 0);

}  // namespace meshproof::viz
