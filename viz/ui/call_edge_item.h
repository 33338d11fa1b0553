// An edge of the service graph: one observed call path, drawn from the caller's card
// to the callee's with an arrowhead. Colour by success rate, thickness by request
// rate, dashed when idle or mostly denied (RBAC); a label with requests/s and p99
// and a padlock: closed when every hop in the window went over mTLS, open where
// some went in plaintext, broken where peer certificates were refused (UMTLS).
// Hidden until the first request on the path has ended.
#pragma once
#include <QGraphicsItem>
#include <QPainterPath>
#include <QString>
#include <optional>

#include "viz/model/graph_state.h"

namespace meshproof::viz {

class ServiceNodeItem;

// Draws a padlock for `state` inside `box` (also used by the legend).
void paintPadlock(QPainter* painter, const QRectF& box, MtlsState state);

class CallEdgeItem final : public QGraphicsItem {
 public:
  CallEdgeItem(ServiceNodeItem* from, ServiceNodeItem* to);

  ServiceNodeItem* from() const { return from_; }
  ServiceNodeItem* to() const { return to_; }
  // Bends the edge sideways by `offset` scene units (for the two directions of a pair).
  void setBend(double offset);
  void setState(const EdgeState& state);
  const EdgeState& state() const { return state_; }
  // The label's first line, e.g. "210 rps · p99 418 ms" (empty when idle).
  const QString& label() const { return label_; }
  QPointF labelCentre() const { return label_centre_; }
  // The label box in scene coordinates (empty when there is no label).
  QRectF labelRect() const;
  QPointF endPoint() const { return end_; }
  // Recomputes the curve after a node moved.
  void updateGeometry();

  QRectF boundingRect() const override;
  QPainterPath shape() const override;
  void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

 private:
  QSizeF measureLabel() const;
  void paintLabel(QPainter* painter, const QColor& color);
  bool mostlyDenied() const;

  ServiceNodeItem* from_;
  ServiceNodeItem* to_;
  double bend_ = 0;
  EdgeState state_;
  QString label_;
  QString detail_;  // second line: failures, denials, rejections
  QColor detail_color_;
  mutable std::optional<QSizeF> label_size_;
  bool has_state_ = false;
  QPointF start_, control_, end_, label_centre_;
  QPainterPath curve_;
  QRectF bounds_;
};

}  // namespace meshproof::viz
