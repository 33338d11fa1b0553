// Playback and the timeline: time advances by wall time times the speed and stops at
// the end, the scrubber maps pixels to times and back, and marker jumps land on
// markers.
#include "viz/ui/playback.h"

#include <gtest/gtest.h>

#include <QElapsedTimer>

#include "tests/viz/ui/offscreen_app.h"
#include "viz/ui/timeline_bar.h"
#include "viz/ui/timeline_panel.h"

namespace meshproof::viz {
namespace {

TEST(Playback, AdvancesByWallTimeTimesSpeedAndStopsAtTheEnd) {
  testing::offscreenApp();
  Playback p;
  p.setEnd(10 * kSecond);
  p.setSpeed(2.0);
  p.play();
  EXPECT_TRUE(p.playing());
  p.advance(500 * kMillisecond);
  EXPECT_EQ(p.time(), 1 * kSecond);
  p.setSpeed(0.25);
  p.advance(2 * kSecond);
  EXPECT_EQ(p.time(), 1500 * kMillisecond);
  p.setSpeed(30);
  p.advance(1 * kSecond);
  EXPECT_EQ(p.time(), 10 * kSecond);  // clamped
  EXPECT_FALSE(p.playing());
  p.play();  // from the end: starts over
  EXPECT_EQ(p.time(), 0);
}

TEST(Playback, TheTimerMovesTimeWhilePlaying) {
  testing::offscreenApp();
  Playback p;
  p.setEnd(60 * kSecond);
  p.setSpeed(10);
  QElapsedTimer wall;  // started before play() and read after pause(): it spans all the playing
  wall.start();
  p.play();
  while (wall.elapsed() < 300) QApplication::processEvents(QEventLoop::AllEvents, 20);
  p.pause();
  const auto wall_ns = static_cast<TimeNs>(wall.nsecsElapsed());
  // About 3 s of simulated time in 0.3 s of wall time; the bounds allow a loaded machine.
  EXPECT_GT(p.time(), 500 * kMillisecond);
  EXPECT_LE(p.time(), 10 * wall_ns);
  const TimeNs paused_at = p.time();
  QApplication::processEvents(QEventLoop::AllEvents, 100);
  EXPECT_EQ(p.time(), paused_at);
}

TEST(Playback, SeeksAreClampedAndAnnounced) {
  testing::offscreenApp();
  Playback p;
  p.setEnd(5 * kSecond);
  std::vector<qint64> seen;
  QObject::connect(&p, &Playback::timeChanged, [&](qint64 t) { seen.push_back(t); });
  p.setTime(2 * kSecond);
  p.setTime(9 * kSecond);
  p.setTime(-1);
  EXPECT_EQ(seen, (std::vector<qint64>{2 * kSecond, 5 * kSecond, 0}));
}

TEST(TimelineBar, MapsPixelsToTimesAndBack) {
  testing::offscreenApp();
  TimelineBar bar;
  bar.resize(1108, bar.sizeHint().height());  // a 1000 px track
  bar.setMarkers({}, {}, 100 * kSecond);
  EXPECT_EQ(bar.timeAt(bar.xOf(0)), 0);
  EXPECT_EQ(bar.timeAt(bar.xOf(37 * kSecond)), 37 * kSecond);
  EXPECT_DOUBLE_EQ(bar.xOf(50 * kSecond) - bar.xOf(0), 500.0);
  EXPECT_EQ(bar.timeAt(-50), 0);
  EXPECT_EQ(bar.timeAt(5000), 100 * kSecond);
}

TEST(TimelinePanel, JumpsToThePreviousAndNextMarker) {
  testing::offscreenApp();
  Playback p;
  p.setEnd(60 * kSecond);
  TimelinePanel panel(&p);
  panel.setMarkers({{20 * kSecond, MarkerKind::kFaultStart, "a"}, {35 * kSecond, MarkerKind::kEjection, "b"}}, {},
                   60 * kSecond);
  p.setTime(25 * kSecond);
  panel.jumpToMarker(+1);
  EXPECT_EQ(p.time(), 35 * kSecond);
  panel.jumpToMarker(+1);
  EXPECT_EQ(p.time(), 35 * kSecond);  // no later marker
  panel.jumpToMarker(-1);
  EXPECT_EQ(p.time(), 20 * kSecond);
  EXPECT_EQ(TimelineBar::laneOf(MarkerKind::kExpectationFailed), -1);
}

}  // namespace
}  // namespace meshproof::viz
