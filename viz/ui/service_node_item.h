// A node of the service graph: a service card (name, figures as seen by its callers,
// one row per version subset with its instances as health dots, and badges for open
// circuit breakers, ejected or crashed instances, active faults, canary weight,
// expired certificates, rejected config), or a smaller card for an entry point
// (ingress gateway, client) or an external caller (unauthenticated). Draggable;
// the edges attached to it follow. Drawn with less detail when zoomed out.
#pragma once
#include <QGraphicsItem>
#include <QString>
#include <QStringList>
#include <vector>

#include "viz/model/graph_state.h"
#include "viz/model/service_catalog.h"

namespace meshproof::viz {

class CallEdgeItem;

// A badge on a node, as drawn (tests read them).
struct NodeBadge {
  QString text;
  QColor color;
};

class ServiceNodeItem final : public QGraphicsItem {
 public:
  // Copies what it draws from `node`: the topology may be rebuilt later.
  explicit ServiceNodeItem(const Topology::Node& node);

  // The card's size for a node (the layout needs it before the items exist).
  static QSizeF sizeFor(const Topology::Node& node);

  void setState(const NodeState& state);
  const NodeState& state() const { return state_; }
  const QString& name() const { return name_; }
  NodeKind kind() const { return kind_; }
  const std::vector<NodeBadge>& badges() const { return badges_; }
  // Outgoing figures of an entry or external node (it has no callers of its own).
  void setOutgoing(double rps) { outgoing_rps_ = rps; }

  void addEdge(CallEdgeItem* edge) { edges_.push_back(edge); }
  // Rebuilds the tooltip from the current state (the scene asks just before showing
  // it: building it every frame for every card would cost more than the frame).
  void updateToolTip();
  // True once the user has dragged the card somewhere.
  bool userPlaced() const { return user_placed_; }
  QRectF card() const;  // in item coordinates, centred on the item's position

  QRectF boundingRect() const override;
  void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

 protected:
  QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;
  void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
  void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;

 private:
  struct VersionRow {
    QString name;
    std::vector<std::size_t> instances;  // indices into state_.instances
  };
  void paintServiceCard(QPainter* painter, double detail);
  void paintSmallCard(QPainter* painter, double detail);
  void paintBadges(QPainter* painter, const QRectF& area);

  QString name_;
  NodeKind kind_;
  std::vector<VersionRow> versions_;
  QStringList instance_names_;
  QSizeF size_;
  NodeState state_;
  std::vector<NodeBadge> badges_;
  double outgoing_rps_ = 0;
  std::vector<CallEdgeItem*> edges_;
  QPointF press_position_;
  bool user_placed_ = false;
};

}  // namespace meshproof::viz
