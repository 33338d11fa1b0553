// The interactive view of the service graph: wheel to zoom about the cursor, drag the
// background to pan, drag a card to move it; the status card and legend stay in the
// corners whatever the zoom.
#pragma once
#include <QGraphicsView>
#include <QString>

namespace meshproof::viz {

class GraphScene;

class GraphView final : public QGraphicsView {
  Q_OBJECT
 public:
  explicit GraphView(GraphScene* scene, QWidget* parent = nullptr);
  void setTitle(const QString& title) { title_ = title; }
  void fitGraph();
  void refreshOverlay() { viewport()->update(); }

 protected:
  void wheelEvent(QWheelEvent* event) override;
  void drawForeground(QPainter* painter, const QRectF& rect) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  GraphScene* graph_;
  QString title_;
  bool fitted_by_user_zoom_ = false;
};

}  // namespace meshproof::viz
