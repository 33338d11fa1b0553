// Zoom, pan and the screen-space overlay of the graph view (see graph_view.h).
#include "viz/ui/graph_view.h"

#include <QPainter>
#include <QWheelEvent>
#include <cmath>

#include "viz/ui/graph_scene.h"
#include "viz/ui/overlay_painter.h"

namespace meshproof::viz {

GraphView::GraphView(GraphScene* scene, QWidget* parent) : QGraphicsView(scene, parent), graph_(scene) {
  setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
  setDragMode(QGraphicsView::ScrollHandDrag);
  setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
  setViewportUpdateMode(QGraphicsView::FullViewportUpdate);  // the overlay moves with the viewport
  setFrameShape(QFrame::NoFrame);
}

void GraphView::fitGraph() {
  const QRectF r = graph_->graphRect();
  if (r.isEmpty()) return;
  // Leave the top for the status card and the bottom for the legend.
  fitInView(r.adjusted(0, -110, 0, 60), Qt::KeepAspectRatio);
  if (transform().m11() > 1.0) setTransform(QTransform());  // never blow small graphs up
  centerOn(r.center());
  fitted_by_user_zoom_ = false;
}

void GraphView::wheelEvent(QWheelEvent* event) {
  const double factor = std::pow(1.0015, event->angleDelta().y());
  const double zoom = transform().m11() * factor;
  if (zoom < 0.02 || zoom > 4.0) return;
  scale(factor, factor);
  fitted_by_user_zoom_ = true;
  event->accept();
}

void GraphView::resizeEvent(QResizeEvent* event) {
  QGraphicsView::resizeEvent(event);
  if (!fitted_by_user_zoom_) fitGraph();
}

void GraphView::drawForeground(QPainter* painter, const QRectF&) {
  painter->save();
  painter->resetTransform();
  painter->setRenderHint(QPainter::Antialiasing);
  const QRectF area(viewport()->rect());
  paintStatusCard(*painter, area, graph_->shownState(), title_);
  paintLegend(*painter, area);
  painter->restore();
}

}  // namespace meshproof::viz
