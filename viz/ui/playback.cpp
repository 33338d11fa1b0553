// Timer-driven simulated time (see playback.h).
#include "viz/ui/playback.h"

#include <algorithm>
#include <cmath>

namespace meshproof::viz {

Playback::Playback(QObject* parent) : QObject(parent) {
  timer_.setInterval(kTickMs);
  timer_.setTimerType(Qt::PreciseTimer);
  connect(&timer_, &QTimer::timeout, this, &Playback::tick);
}

void Playback::setEnd(TimeNs end) {
  end_ = std::max<TimeNs>(0, end);
  if (time_ > end_) setTime(end_);
}

void Playback::setTime(TimeNs t) {
  const TimeNs clamped = std::clamp<TimeNs>(t, 0, end_);
  if (clamped == time_) return;
  time_ = clamped;
  Q_EMIT timeChanged(time_);
}

void Playback::setSpeed(double speed) {
  if (speed <= 0 || speed == speed_) return;
  speed_ = speed;
  Q_EMIT speedChanged(speed_);
}

void Playback::play() {
  if (playing() || end_ == 0) return;
  if (time_ >= end_) setTime(0);
  clock_.start();
  timer_.start();
  Q_EMIT playingChanged(true);
}

void Playback::pause() {
  if (!playing()) return;
  timer_.stop();
  Q_EMIT playingChanged(false);
}

void Playback::toggle() { playing() ? pause() : play(); }

void Playback::advance(DurationNs wall) {
  const auto step = static_cast<TimeNs>(std::llround(static_cast<double>(wall) * speed_));
  const TimeNs next = time_ > end_ - step ? end_ : time_ + step;
  setTime(next);
  if (time_ >= end_) pause();
}

void Playback::tick() {
  const qint64 wall = clock_.nsecsElapsed();
  clock_.restart();
  advance(wall);
}

}  // namespace meshproof::viz
