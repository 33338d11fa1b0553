// Wires the model, the playback and the views together; menus, opening and export
// (see main_window.h).
#include "viz/ui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressDialog>
#include <QStatusBar>
#include <QThread>
#include <QVBoxLayout>
#include <optional>

#include "viz/ui/expectations_panel.h"
#include "viz/ui/graph_scene.h"
#include "viz/ui/graph_view.h"
#include "viz/ui/playback.h"
#include "viz/ui/run_source.h"
#include "viz/ui/service_panel.h"
#include "viz/ui/style.h"
#include "viz/ui/timeline_panel.h"

namespace meshproof::viz {

MainWindow::MainWindow() {
  scene_ = new GraphScene(this);
  view_ = new GraphView(scene_, this);
  playback_ = new Playback(this);
  timeline_ = new TimelinePanel(playback_, this);
  service_panel_ = new ServicePanel(this);
  expectations_ = new ExpectationsPanel(this);

  auto* centre = new QWidget(this);
  auto* layout = new QVBoxLayout(centre);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(view_, 1);
  layout->addWidget(timeline_);
  setCentralWidget(centre);

  auto* service_dock = new QDockWidget(QStringLiteral("Service"), this);
  service_dock->setObjectName(QStringLiteral("service"));
  service_dock->setWidget(service_panel_);
  service_dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
  service_panel_->setMinimumWidth(470);
  addDockWidget(Qt::RightDockWidgetArea, service_dock);
  auto* expectations_dock = new QDockWidget(QStringLiteral("Expectations"), this);
  expectations_dock->setObjectName(QStringLiteral("expectations"));
  expectations_dock->setWidget(expectations_);
  expectations_dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
  expectations_->setMinimumHeight(150);
  addDockWidget(Qt::BottomDockWidgetArea, expectations_dock);
  resizeDocks({expectations_dock}, {190}, Qt::Vertical);
  resizeDocks({service_dock}, {540}, Qt::Horizontal);

  connect(playback_, &Playback::timeChanged, this, [this] { refresh(); });
  connect(scene_, &GraphScene::nodeSelected, this, [this](int node) {
    service_panel_->selectNode(node);
    refresh();
  });
  connect(expectations_, &ExpectationsPanel::jumpRequested, this, [this](qint64 t) {
    playback_->pause();
    showTime(t);
  });
  buildMenus();
  setWindowTitle(QStringLiteral("meshproof viz"));
  resize(1680, 1050);
  statusBar()->showMessage(QStringLiteral("File > Open a trace (.jsonl) or a scenario (.yaml)"));
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(QStringLiteral("&File"));
  file->addAction(QStringLiteral("&Open trace or scenario…"), QKeySequence::Open, this, &MainWindow::openDialog);
  file->addAction(QStringLiteral("&Export frame as PNG…"), QKeySequence(QStringLiteral("Ctrl+E")), this,
                  &MainWindow::exportFrame);
  file->addSeparator();
  file->addAction(QStringLiteral("&Quit"), QKeySequence::Quit, this, &QWidget::close);
  QMenu* view = menuBar()->addMenu(QStringLiteral("&View"));
  view->addAction(QStringLiteral("&Fit graph"), QKeySequence(Qt::Key_F), view_, &GraphView::fitGraph);
  view->addAction(QStringLiteral("&Lay out again"), QKeySequence(QStringLiteral("Ctrl+L")), this, [this] {
    scene_->relayout();
    view_->fitGraph();
  });
  QMenu* play = menuBar()->addMenu(QStringLiteral("&Playback"));
  play->addAction(QStringLiteral("Play / pause"), QKeySequence(Qt::Key_Space), playback_, &Playback::toggle);
  play->addAction(QStringLiteral("Previous marker"), QKeySequence(Qt::Key_Comma), this,
                  [this] { timeline_->jumpToMarker(-1); });
  play->addAction(QStringLiteral("Next marker"), QKeySequence(Qt::Key_Period), this,
                  [this] { timeline_->jumpToMarker(+1); });
  play->addAction(QStringLiteral("Back 1 s"), QKeySequence(Qt::Key_Left), this,
                  [this] { playback_->setTime(playback_->time() - kSecond); });
  play->addAction(QStringLiteral("Forward 1 s"), QKeySequence(Qt::Key_Right), this,
                  [this] { playback_->setTime(playback_->time() + kSecond); });
  play->addAction(QStringLiteral("Slower"), QKeySequence(Qt::Key_BracketLeft), timeline_, &TimelinePanel::slower);
  play->addAction(QStringLiteral("Faster"), QKeySequence(Qt::Key_BracketRight), timeline_, &TimelinePanel::faster);
}

QString MainWindow::title() const {
  const QString run = model_ ? runTitle(*model_) : QString();
  return run.isEmpty() ? QFileInfo(source_).fileName() : run;
}

void MainWindow::setRun(std::unique_ptr<RunModel> model, const QString& source) {
  const std::unique_ptr<RunModel> old = std::move(model_);
  model_ = std::move(model);
  source_ = source;
  markers_shown_ = 0;
  live_edge_ = 0;
  scene_->setModel(model_.get());
  service_panel_->setModel(model_.get());
  modelChanged();
  view_->setTitle(title());
  setWindowTitle(title() + QStringLiteral(" — meshproof viz"));
  const ServiceGraph& g = model_->graph();
  std::size_t services = 0;
  for (const Topology::Node& n : g.topology.nodes) services += n.kind == NodeKind::kService ? 1 : 0;
  QString status = QStringLiteral("%1 · %2 services · %3 call paths")
                       .arg(QFileInfo(source).fileName())
                       .arg(services)
                       .arg(g.edges.size());
  if (model_->run())
    status += QStringLiteral(" · %1 mode, %2 simulated")
                  .arg(QString::fromStdString(model_->run()->mode), style::secondsText(model_->run()->duration));
  statusBar()->showMessage(status);
  view_->fitGraph();
  showTime(interestingTime());
  refresh();
}

TimeNs MainWindow::endTime() const { return std::max(model_ ? model_->endTime() : 0, live_edge_); }

void MainWindow::setLiveEdge(TimeNs t) {
  if (t <= live_edge_) return;
  live_edge_ = t;
  if (!model_) return;
  playback_->setEnd(endTime());
  syncTimeline(false);
}

void MainWindow::syncTimeline(bool force) {
  if (!force && model_->markers().size() == markers_shown_ && timeline_end_ == endTime()) return;
  timeline_->setMarkers(model_->markers(), model_->timeline().faults(), endTime());
  markers_shown_ = model_->markers().size();
  timeline_end_ = endTime();
}

void MainWindow::modelChanged() {
  if (!model_) return;
  playback_->setEnd(endTime());
  syncTimeline(true);
  expectations_->setExpectations(model_->expectations());
}

void MainWindow::appendEvents(const std::vector<chaos::TraceEntry>& entries, bool follow) {
  if (!model_) setRun(std::make_unique<RunModel>(), QStringLiteral("live"));
  const std::size_t verdicts = model_->expectations().size();
  for (const chaos::TraceEntry& e : entries) model_->append(e);
  if (scene_->syncStructure()) {
    const int selected = scene_->selectedNode();
    service_panel_->setModel(model_.get());
    service_panel_->selectNode(selected);
    view_->fitGraph();
    charted_until_ = model_->endTime() / kSecond;
  } else if (model_->endTime() / kSecond != charted_until_) {
    service_panel_->refreshSeries();  // a new second of the run to chart
    charted_until_ = model_->endTime() / kSecond;
  }
  playback_->setEnd(endTime());
  syncTimeline(false);
  if (model_->expectations().size() != verdicts) expectations_->setExpectations(model_->expectations());
  if (model_->run()) view_->setTitle(title());
  if (follow && endTime() != playback_->time()) playback_->setTime(endTime());
  else refresh();
}

TimeNs MainWindow::interestingTime() const { return model_ ? openingTime(*model_) : 0; }

void MainWindow::showTime(TimeNs t) {
  playback_->setTime(t);
  refresh();
}

void MainWindow::refresh() {
  if (!model_) return;
  const GraphState state = model_->stateAt(playback_->time());
  scene_->showState(state);
  view_->refreshOverlay();
  service_panel_->showState(state);
}

void MainWindow::openDialog() {
  const QString path = QFileDialog::getOpenFileName(
      this, QStringLiteral("Open a trace or a scenario"), QFileInfo(source_).absolutePath(),
      QStringLiteral("Traces and scenarios (*.jsonl *.yaml *.yml *.json);;All files (*)"));
  if (!path.isEmpty()) openFileAsync(path);
}

void MainWindow::openFileAsync(const QString& path) {
  const bool scenario = isScenarioFile(path);
  auto* dialog = new QProgressDialog(
      scenario ? QStringLiteral("Running %1 in simulation…").arg(QFileInfo(path).fileName())
               : QStringLiteral("Loading %1…").arg(QFileInfo(path).fileName()),
      QString(), 0, scenario ? 0 : 1000, this);
  dialog->setCancelButton(nullptr);
  dialog->setWindowModality(Qt::WindowModal);
  dialog->setMinimumDuration(250);
  const double size = std::max<double>(1.0, static_cast<double>(QFileInfo(path).size()));
  auto result = std::make_shared<std::optional<OpenedRun>>();
  auto error = std::make_shared<QString>();
  QThread* worker = QThread::create([=] {
    try {
      *result = openRun(path, [=](const LoadProgress& p) {
        QMetaObject::invokeMethod(
            dialog,
            [=] {
              if (scenario) return;
              dialog->setValue(static_cast<int>(std::min(999.0, 1000.0 * static_cast<double>(p.bytes) / size)));
            },
            Qt::QueuedConnection);
      });
    } catch (const std::exception& e) {
      *error = QString::fromStdString(e.what());
    }
  });
  connect(worker, &QThread::finished, this, [=, this] {
    worker->deleteLater();
    dialog->close();
    dialog->deleteLater();
    if (!error->isEmpty()) {
      QMessageBox::critical(this, QStringLiteral("Cannot open %1").arg(QFileInfo(path).fileName()), *error);
      return;
    }
    setRun(std::move((*result)->model), path);
    statusBar()->showMessage(statusBar()->currentMessage() +
                             QStringLiteral(" · loaded in %1 s").arg((*result)->load_seconds, 0, 'f', 2));
  });
  worker->start();
}

void MainWindow::exportFrame() {
  if (!model_) return;
  const QString path = QFileDialog::getSaveFileName(this, QStringLiteral("Export frame"),
                                                    QStringLiteral("frame.png"), QStringLiteral("PNG (*.png)"));
  if (path.isEmpty()) return;
  if (!renderGraph(*scene_, QSize(1800, 1100), title()).image.save(path))
    QMessageBox::warning(this, QStringLiteral("Export frame"), QStringLiteral("Cannot write %1").arg(path));
}

}  // namespace meshproof::viz
