// Timer-driven following of a live run directory (see live_attach.h).
#include "viz/ui/live_attach.h"

#include <QDir>
#include <QFileInfo>
#include <QStatusBar>
#include <chrono>
#include <fstream>
#include <stdexcept>

#include "mesh/scenario/scenario_loader.h"
#include "viz/ui/main_window.h"
#include "viz/ui/playback.h"
#include "viz/ui/run_source.h"

namespace meshproof::viz {

QString liveRunLabel(const QString& run_dir) {
  try {
    const scenario::Plan plan = scenario::loadScenarioFile(QDir(run_dir).filePath(QStringLiteral("plan.yaml")).toStdString());
    if (!plan.name.empty()) return QString::fromStdString(plan.name) + QStringLiteral(" (live)");
  } catch (...) {
    // Not a scenario this build reads: the directory's name will do.
  }
  return QFileInfo(run_dir).fileName() + QStringLiteral(" (live)");
}

LiveAttach::LiveAttach(MainWindow* window, const QString& run_dir, DurationNs watermark)
    : QObject(window), window_(window), dir_(run_dir) {
  const auto t0 = readRunT0(run_dir.toStdString());
  if (!t0)
    throw std::runtime_error(run_dir.toStdString() + ": not a live run directory (no readable run.json with t0_ns)");
  t0_ = *t0;
  follower_ = std::make_unique<RunDirFollower>(run_dir.toStdString(), watermark);
  window_->setRun(std::make_unique<RunModel>(), liveRunLabel(run_dir));
  connect(&timer_, &QTimer::timeout, this, [this] { poll(now()); });
}

LiveAttach::~LiveAttach() = default;

void LiveAttach::start(int interval_ms) {
  poll(now());
  if (!finished_) timer_.start(interval_ms);
}

TimeNs LiveAttach::now() const {
  // CLOCK_MONOTONIC, as live processes stamp their events (mesh/live/live_clock.h).
  const TimeNs monotonic =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
  return monotonic - t0_;
}

bool LiveAttach::traceComplete() {
  const QFileInfo trace(QDir(dir_).filePath(QStringLiteral("trace.jsonl")));
  const std::int64_t size = trace.exists() ? trace.size() : -1;
  const bool unchanged = trace_size_ && *trace_size_ == size;
  trace_size_ = size;
  if (!unchanged || size <= 0) return false;
  std::ifstream in(trace.filePath().toStdString(), std::ios::binary);
  in.seekg(-1, std::ios::end);
  char last = 0;
  return static_cast<bool>(in.get(last)) && last == '\n';
}

void LiveAttach::poll(TimeNs now) {
  if (finished_) return;
  Playback* playback = window_->playback();
  // At the live edge (or past it): follow. Scrubbed back: stay.
  following_ = playback->time() >= playback->end();
  const RunDirState state = runDirState(dir_.toStdString());
  if (state == RunDirState::kTraceWritten && traceComplete()) {
    const QString trace = QDir(dir_).filePath(QStringLiteral("trace.jsonl"));
    try {
      OpenedRun run = openRun(trace);
      const TimeNs kept = playback->time();
      window_->setRun(std::move(run.model), liveRunLabel(dir_));
      if (!following_) window_->showTime(kept);
      ended_ = QStringLiteral("run over: final trace loaded from %1").arg(trace);
      finish(true);
    } catch (const std::exception& e) {
      ended_ = QStringLiteral("run over, but its trace does not load: %1").arg(QString::fromStdString(e.what()));
      window_->appendEvents(follower_->drain(), following_);
      finish(false);
    }
    return;
  }
  if (state == RunDirState::kGone) {
    window_->appendEvents(follower_->drain(), following_);
    ended_ = QStringLiteral("run over: %1 was removed; showing what was followed").arg(dir_);
    finish(false);
    return;
  }
  const std::vector<chaos::TraceEntry> entries = follower_->poll(now);
  window_->setLiveEdge(std::max<TimeNs>(0, now - follower_->watermark()));
  window_->appendEvents(entries, following_);
  window_->statusBar()->showMessage(statusText());
}

void LiveAttach::finish(bool trace_loaded) {
  finished_ = true;
  timer_.stop();
  window_->statusBar()->showMessage(statusText());
  Q_EMIT runFinished(trace_loaded);
}

QString LiveAttach::statusText() const {
  const RunDirFollower& f = *follower_;
  QString text = finished_ ? ended_ : QStringLiteral("following %1").arg(dir_);
  text += QStringLiteral(" · %1 processes · %2 events").arg(f.files()).arg(f.entries());
  if (!finished_) text += QStringLiteral(" · %1 held back (%2 ms)").arg(f.heldBack()).arg(f.watermark() / kMillisecond);
  if (f.lateEntries() > 0) text += QStringLiteral(" · %1 late, shown at the newest time").arg(f.lateEntries());
  if (f.badLines() > 0)
    text += QStringLiteral(" · %1 bad lines skipped (first: %2)").arg(f.badLines()).arg(QString::fromStdString(f.firstBadLine()));
  if (!finished_ && !following_) text += QStringLiteral(" · not following (back to the end to follow)");
  return text;
}

}  // namespace meshproof::viz
