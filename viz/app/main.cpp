// meshproof-viz: the desktop visualizer's program (run as `meshproof viz …`).
//
//   meshproof-viz [FILE] [--at SECONDS] [--select SERVICE]
//                 [--screenshot OUT.png] [--window-screenshot OUT.png] [--size WxH]
//   meshproof-viz --attach RUN_DIR [--for SECONDS] [--select SERVICE]
//                 [--screenshot OUT.png] [--window-screenshot OUT.png] [--size WxH]
//
// FILE is a trace (.jsonl) or a scenario (.yaml/.yml/.json, run in simulation first).
// --screenshot renders the graph at --at offscreen and exits; --window-screenshot
// does the same for the whole window. --attach follows a live run in progress
// (ui/live_attach.h); with --for it stops after that many seconds of following (and
// takes its screenshot then), else it follows until the window is closed. Unusable
// input: a message on standard error (file and line for a malformed trace) and exit
// status 2.
#include <QApplication>
#include <QImage>
#include <QTimer>
#include <QStringList>
#include <QStyleFactory>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "viz/ui/graph_scene.h"
#include "viz/ui/graph_view.h"
#include "viz/ui/live_attach.h"
#include "viz/ui/main_window.h"
#include "viz/ui/run_source.h"
#include "viz/ui/service_node_item.h"

namespace {

using namespace meshproof;
using namespace meshproof::viz;

constexpr const char* kUsage =
    "usage: meshproof viz [TRACE.jsonl | SCENARIO.yaml] [--at SECONDS] [--select SERVICE]\n"
    "                     [--screenshot OUT.png] [--window-screenshot OUT.png] [--size WxH]\n"
    "       meshproof viz --attach RUN_DIR [--for SECONDS] [--select SERVICE]\n"
    "                     [--screenshot OUT.png] [--window-screenshot OUT.png] [--size WxH]\n";

struct Options {
  std::string file;
  std::optional<double> at_s;
  std::string select;
  std::string screenshot;
  std::string window_screenshot;
  std::string attach;            // a live run directory
  std::optional<double> for_s;   // with --attach: seconds of following
  int width = 1680;
  int height = 1050;
};

[[noreturn]] void usageError(const std::string& message) {
  std::cerr << "meshproof viz: " << message << "\n" << kUsage;
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usageError(a + " needs a value");
      return argv[++i];
    };
    auto seconds = [&]() -> double {
      const std::string v = value();
      char* end = nullptr;
      const double s = std::strtod(v.c_str(), &end);
      if (end == v.c_str() || *end != '\0' || !(s >= 0)) usageError(a + ": \"" + v + "\" is not a number of seconds");
      return s;
    };
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else if (a == "--at") {
      o.at_s = seconds();
    } else if (a == "--attach") {
      o.attach = value();
    } else if (a == "--for") {
      o.for_s = seconds();
    } else if (a == "--select") {
      o.select = value();
    } else if (a == "--screenshot") {
      o.screenshot = value();
    } else if (a == "--window-screenshot") {
      o.window_screenshot = value();
    } else if (a == "--size") {
      const std::string v = value();
      if (std::sscanf(v.c_str(), "%dx%d", &o.width, &o.height) != 2 || o.width < 200 || o.height < 200)
        usageError("--size: \"" + v + "\" is not WIDTHxHEIGHT");
    } else if (!a.empty() && a[0] == '-') {
      usageError("unknown option " + a);
    } else if (o.file.empty()) {
      o.file = a;
    } else {
      usageError("one file at a time (" + o.file + ", " + a + ")");
    }
  }
  if (!o.attach.empty() && !o.file.empty()) usageError("--attach follows a run: no file with it (" + o.file + ")");
  if (!o.attach.empty() && o.at_s) usageError("--attach follows the run's present: no --at with it");
  if (o.attach.empty() && o.for_s) usageError("--for goes with --attach");
  if ((!o.screenshot.empty() || !o.window_screenshot.empty()) && o.file.empty() && o.attach.empty())
    usageError("a screenshot needs a trace, a scenario or --attach");
  return o;
}

int selectService(GraphScene& scene, const std::string& name) {
  for (std::size_t i = 0; i < scene.nodeItems().size(); ++i)
    if (scene.nodeItems()[i]->name().toStdString() == name) return static_cast<int>(i);
  std::cerr << "meshproof viz: --select: no service \"" << name << "\" in this run\n";
  std::exit(2);
}

// Saves the screenshots asked for; 0, or 2 when one cannot be written.
int saveScreenshots(const Options& options, MainWindow& window, const QString& title) {
  if (!options.screenshot.empty()) {
    const QImage image = renderGraph(*window.scene(), QSize(options.width, options.height), title).image;
    if (!image.save(QString::fromStdString(options.screenshot))) {
      std::cerr << "meshproof viz: cannot write " << options.screenshot << "\n";
      return 2;
    }
  }
  if (!options.window_screenshot.empty() && !window.grab().save(QString::fromStdString(options.window_screenshot))) {
    std::cerr << "meshproof viz: cannot write " << options.window_screenshot << "\n";
    return 2;
  }
  return 0;
}

// --attach: the window follows the run directory; with --for it stops after that long.
int attachMain(const Options& options, QApplication& app) {
  MainWindow window;
  window.resize(options.width, options.height);
  const QString dir = QString::fromStdString(options.attach);
  LiveAttach* live = nullptr;
  try {
    live = new LiveAttach(&window, dir);  // owned by the window
  } catch (const std::exception& e) {
    std::cerr << "meshproof viz: " << e.what() << "\n";
    return 2;
  }
  window.show();
  QApplication::processEvents();
  live->start();
  const bool screenshots = !options.screenshot.empty() || !options.window_screenshot.empty();
  auto stop = [&]() -> int {
    if (!options.select.empty()) window.scene()->selectNode(selectService(*window.scene(), options.select));
    window.view()->fitGraph();
    for (int i = 0; i < 5; ++i) QApplication::processEvents();
    return saveScreenshots(options, window, liveRunLabel(dir));
  };
  if (!options.for_s) {
    if (screenshots) return stop();
    return QApplication::exec();
  }
  int status = 0;
  QTimer::singleShot(static_cast<int>(*options.for_s * 1000), &app, [&] {
    status = stop();
    app.quit();
  });
  QApplication::exec();
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  // Screenshots need no display.
  if ((!options.screenshot.empty() || !options.window_screenshot.empty()) && !std::getenv("QT_QPA_PLATFORM"))
    setenv("QT_QPA_PLATFORM", "offscreen", 1);
  // Checked before Qt starts, so that a wrong directory is an error even without a display.
  if (!options.attach.empty() && !std::filesystem::is_regular_file(std::filesystem::path(options.attach) / "run.json")) {
    std::cerr << "meshproof viz: " << options.attach << ": not a live run directory (no run.json)\n";
    return 2;
  }
  if (!options.file.empty() && !std::filesystem::is_regular_file(options.file)) {
    std::cerr << "meshproof viz: cannot read " << options.file << "\n";
    return 2;
  }
  // Without a display Qt would abort; say what to do instead.
  if (!std::getenv("QT_QPA_PLATFORM") && !std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY")) {
    std::cerr << "meshproof viz: no display (DISPLAY is not set): use --screenshot or --window-screenshot, "
                 "or set QT_QPA_PLATFORM=offscreen\n";
    return 2;
  }
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("meshproof-viz"));
  QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
  if (!options.attach.empty()) return attachMain(options, app);

  std::optional<OpenedRun> run;
  if (!options.file.empty()) {
    try {
      run = openRun(QString::fromStdString(options.file));
    } catch (const std::exception& e) {
      std::cerr << "meshproof viz: " << e.what() << "\n";
      return 2;
    }
    if (run->summary.skipped_lines > 0)
      std::cerr << "meshproof viz: skipped " << run->summary.skipped_lines
                << " lines of kinds this build does not know\n";
  }
  const auto at = [&](const RunModel& model) {
    return options.at_s ? static_cast<TimeNs>(*options.at_s * 1e9) : openingTime(model);
  };

  if (!options.screenshot.empty()) {
    GraphScene scene;
    scene.setModel(run->model.get());
    if (!options.select.empty()) scene.selectNode(selectService(scene, options.select));
    scene.showState(run->model->stateAt(at(*run->model)));
    const QImage image = renderGraph(scene, QSize(options.width, options.height), runTitle(*run->model)).image;
    if (!image.save(QString::fromStdString(options.screenshot))) {
      std::cerr << "meshproof viz: cannot write " << options.screenshot << "\n";
      return 2;
    }
    return 0;
  }

  MainWindow window;
  if (run) window.setRun(std::move(run->model), QString::fromStdString(options.file));
  window.resize(options.width, options.height);
  if (!options.window_screenshot.empty()) {
    window.show();
    QApplication::processEvents();
    if (!options.select.empty()) window.scene()->selectNode(selectService(*window.scene(), options.select));
    window.showTime(options.at_s ? static_cast<TimeNs>(*options.at_s * 1e9) : window.interestingTime());
    window.view()->fitGraph();
    for (int i = 0; i < 5; ++i) QApplication::processEvents();
    if (!window.grab().save(QString::fromStdString(options.window_screenshot))) {
      std::cerr << "meshproof viz: cannot write " << options.window_screenshot << "\n";
      return 2;
    }
    return 0;
  }
  window.show();
  if (options.at_s) window.showTime(static_cast<TimeNs>(*options.at_s * 1e9));
  if (!options.select.empty()) window.scene()->selectNode(selectService(*window.scene(), options.select));
  return QApplication::exec();
}
