// The timeline under the graph: play/pause, speed, the current time, jumps to the
// previous/next marker, and the marker bar (TimelineBar), all driving one Playback.
#pragma once
#include <QWidget>

#include "viz/model/control_timeline.h"

class QComboBox;
class QLabel;
class QToolButton;

namespace meshproof::viz {

class Playback;
class TimelineBar;

class TimelinePanel final : public QWidget {
  Q_OBJECT
 public:
  static constexpr double kSpeeds[] = {0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60};

  TimelinePanel(Playback* playback, QWidget* parent = nullptr);
  void setMarkers(std::vector<Marker> markers, std::vector<FaultInterval> faults, TimeNs end);
  TimelineBar* bar() const { return bar_; }
  void jumpToMarker(int direction);  // +1 next, -1 previous
  void faster();
  void slower();

 private:
  void showTime(TimeNs t);
  void showPlaying(bool playing);

  Playback* playback_;
  TimelineBar* bar_;
  QToolButton* play_;
  QComboBox* speed_;
  QLabel* time_;
  std::vector<Marker> markers_;
};

}  // namespace meshproof::viz
