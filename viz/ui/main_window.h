// The visualizer's window: the service graph in the middle with the timeline under
// it, the service charts and instances on the right, the expectations at the
// bottom; File > Open for traces and scenarios, File > Export frame as PNG.
//
// Every view shows the one RunModel at the Playback's time. appendEvents() is the
// live-mode entry: events streamed in while a run is in progress grow the model,
// the graph gains nodes and edges as they appear, and the time follows the newest
// event while "follow" is on.
#pragma once
#include <QMainWindow>
#include <memory>
#include <vector>

#include "chaos/trace/trace_reader.h"
#include "viz/model/run_model.h"

class QAction;

namespace meshproof::viz {

class ExpectationsPanel;
class GraphScene;
class GraphView;
class Playback;
class ServicePanel;
class TimelinePanel;
struct OpenedRun;

class MainWindow final : public QMainWindow {
  Q_OBJECT
 public:
  MainWindow();
  ~MainWindow() override;

  void setRun(std::unique_ptr<RunModel> model, const QString& source);
  // File > Open: loads on a worker thread behind a progress dialog; errors in a dialog.
  void openFileAsync(const QString& path);
  // Live mode: appends events and refreshes; with follow on, time moves to the end
  // (the newest event, or the live edge when that is later).
  void appendEvents(const std::vector<chaos::TraceEntry>& entries, bool follow = true);
  // Live mode: the run's present as far as its events are known (it only grows), the
  // timeline's end even while no event comes. setRun() resets it.
  void setLiveEdge(TimeNs t);
  // The timeline's end: the model's end or the live edge, whichever is later.
  TimeNs endTime() const;

  // Where a run opens: openingTime() of run_source.h.
  TimeNs interestingTime() const;
  void showTime(TimeNs t);

  const RunModel* model() const { return model_.get(); }
  GraphScene* scene() const { return scene_; }
  GraphView* view() const { return view_; }
  Playback* playback() const { return playback_; }
  ServicePanel* servicePanel() const { return service_panel_; }
  ExpectationsPanel* expectationsPanel() const { return expectations_; }
  TimelinePanel* timelinePanel() const { return timeline_; }

 private:
  void buildMenus();
  void modelChanged();  // structure, markers, expectations
  void refresh();       // the state at the current time into every view
  void openDialog();
  void exportFrame();
  QString title() const;

  std::unique_ptr<RunModel> model_;
  QString source_;
  GraphScene* scene_;
  GraphView* view_;
  Playback* playback_;
  TimelinePanel* timeline_;
  ServicePanel* service_panel_;
  ExpectationsPanel* expectations_;
  void syncTimeline(bool force);  // markers and end into the timeline when they changed
  std::size_t markers_shown_ = 0;
  TimeNs timeline_end_ = -1;
  TimeNs live_edge_ = 0;
  TimeNs charted_until_ = -1;  // live mode: the second of the run the charts go up to
};

}  // namespace meshproof::viz
