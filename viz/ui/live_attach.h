// `meshproof viz --attach RUN_DIR`: the window follows a live run in progress. A QTimer
// on the GUI thread polls a RunDirFollower (model/run_dir_follower.h) at the run's
// present — CLOCK_MONOTONIC minus run.json's t0 — and appends what it hands out
// through MainWindow::appendEvents; the live edge (the present less the watermark)
// is the timeline's end even when no event comes.
//
// Following: while the time is at the live edge it moves with it; once the user
// scrubs back (timeline, markers, arrow keys) it stays where it was put, and follows
// again from the moment it is brought back to the end.
//
// The end of the run: when <dir>/trace.jsonl is there and has stopped growing (same
// size, ending in a newline, over two polls) it is loaded as the final state, exactly
// as `meshproof viz trace.jsonl` would show it; when the directory is removed (the
// orchestrator cleans up after itself) what is held back is appended and following
// stops with what was seen.
#pragma once
#include <QObject>
#include <QString>
#include <QTimer>
#include <cstdint>
#include <memory>
#include <optional>

#include "viz/model/run_dir_follower.h"

namespace meshproof::viz {

class MainWindow;

class LiveAttach final : public QObject {
  Q_OBJECT
 public:
  static constexpr int kPollMs = 250;

  // Throws std::runtime_error when `run_dir` has no readable run.json.
  LiveAttach(MainWindow* window, const QString& run_dir, DurationNs watermark = kDefaultWatermark);
  ~LiveAttach() override;

  void start(int interval_ms = kPollMs);  // polls from a timer at the real present
  // One poll at run time `now` (ns since t0); the timer's ticks call it with the clock.
  void poll(TimeNs now);
  TimeNs now() const;  // the run's present by the clock

  bool finished() const { return finished_; }
  bool following() const { return following_; }
  const RunDirFollower& follower() const { return *follower_; }
  // What the status bar says: processes, events, held back, late and bad lines.
  QString statusText() const;

 Q_SIGNALS:
  void runFinished(bool trace_loaded);

 private:
  void finish(bool trace_loaded);
  bool traceComplete();  // trace.jsonl there and no longer growing

  MainWindow* window_;
  QString dir_;
  TimeNs t0_ = 0;
  std::unique_ptr<RunDirFollower> follower_;
  QTimer timer_;
  bool finished_ = false;
  bool following_ = true;
  std::optional<std::int64_t> trace_size_;  // at the previous poll
  QString ended_;                            // why following stopped
};

// The live run's label: "<scenario> (live)" from the run's plan.yaml, else the
// directory's name.
QString liveRunLabel(const QString& run_dir);

}  // namespace meshproof::viz
