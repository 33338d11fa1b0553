// The current simulated time and how it moves: play, pause, speed, seek. A QTimer
// (about 30 ticks a second) advances the time by the wall time that really passed
// times the speed, so playback keeps pace even when a frame is slow; advance() is
// public so that tests step it by hand.
#pragma once
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include "mesh/core/time.h"

namespace meshproof::viz {

class Playback final : public QObject {
  Q_OBJECT
 public:
  static constexpr int kTickMs = 33;

  explicit Playback(QObject* parent = nullptr);

  void setEnd(TimeNs end);
  TimeNs end() const { return end_; }
  TimeNs time() const { return time_; }
  bool playing() const { return timer_.isActive(); }
  double speed() const { return speed_; }

  void setTime(TimeNs t);  // clamped to [0, end]
  void setSpeed(double speed);
  void play();  // from the start when at the end
  void pause();
  void toggle();
  // Moves the time on by `wall` of real time at the current speed; pauses at the end.
  void advance(DurationNs wall);

 Q_SIGNALS:
  void timeChanged(qint64 t);
  void playingChanged(bool playing);
  void speedChanged(double speed);

 private:
  void tick();

  QTimer timer_;
  QElapsedTimer clock_;
  TimeNs time_ = 0;
  TimeNs end_ = 0;
  double speed_ = 1.0;
};

}  // namespace meshproof::viz
