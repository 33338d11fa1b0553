// The scrubber over simulated time: a time axis, lanes of markers (faults with their
// active spans, ejections, breaker trips, config versions and certificates, canary
// steps) and failed expectations as flags across every lane, and the cursor. Click
// or drag to move the time; hover a marker for what it was.
#pragma once
#include <QWidget>
#include <vector>

#include "mesh/core/time.h"
#include "viz/model/control_timeline.h"

namespace meshproof::viz {

class TimelineBar final : public QWidget {
  Q_OBJECT
 public:
  explicit TimelineBar(QWidget* parent = nullptr);

  void setMarkers(std::vector<Marker> markers, std::vector<FaultInterval> faults, TimeNs end);
  void setTime(TimeNs t);
  TimeNs time() const { return time_; }
  // Lane of a marker kind (0 faults ... 4 canary); -1 for flags across all lanes.
  static int laneOf(MarkerKind kind);
  // The time under x (widget coordinates), and back.
  TimeNs timeAt(double x) const;
  double xOf(TimeNs t) const;

  QSize sizeHint() const override { return {800, 92}; }
  QSize minimumSizeHint() const override { return {300, 92}; }

 Q_SIGNALS:
  void scrubbed(qint64 t);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  bool event(QEvent* event) override;

 private:
  QRectF track() const;

  std::vector<Marker> markers_;
  std::vector<FaultInterval> faults_;
  TimeNs end_ = 0;
  TimeNs time_ = 0;
};

}  // namespace meshproof::viz
