// Attaching the window to a live run directory (offscreen): the flagship trace's events
// are written into three processes' events files as its run time passes, and the window
// is polled at chosen instants. Checked exactly: after every poll the window's model is
// the merged events up to the watermark; the time follows the live edge until the user
// scrubs back, and again once brought back to the end; the trace written at the end is
// loaded as the final state; a removed directory ends the following with what was seen.
// And the meshproof-viz program: --attach with --for and a screenshot, and its errors.
#include "viz/ui/live_attach.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "chaos/trace/trace_format.h"
#include "tests/viz/model/model_dump.h"
#include "tests/viz/ui/offscreen_app.h"
#include "viz/model/trace_loader.h"
#include "viz/ui/main_window.h"
#include "viz/ui/playback.h"

namespace meshproof::viz {
namespace {

namespace fs = std::filesystem;

class RunDir {
 public:
  RunDir() {
    std::string pattern = (fs::temp_directory_path() / "meshproof-viz-attach-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
    std::ofstream(path_ + "/run.json") << R"({"t0_ns": 1000, "wall_t0_ns": 0, "control": {}, "nodes": {}})";
  }
  ~RunDir() { remove(); }
  void remove() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const std::string& path() const { return path_; }
  QString qpath() const { return QString::fromStdString(path_); }

 private:
  std::string path_;
};

// The flagship run as its processes would have written it: every event but the run
// line and the verdicts (the orchestrator adds those when it merges), spread over
// three files, each file in time order.
struct Processes {
  std::vector<std::string> names{"control-control-plane.events", "orchestrator.events", "proxy-frontend-v1-0.events"};
  std::vector<std::vector<chaos::TraceEntry>> files{3};
  std::vector<std::size_t> written = std::vector<std::size_t>(3, 0);
  TimeNs end = 0;

  explicit Processes(const std::vector<chaos::TraceEntry>& trace) {
    std::size_t i = 0;
    for (const auto& e : trace) {
      if (std::holds_alternative<RunEvent>(e.event) || std::holds_alternative<VerdictEvent>(e.event)) continue;
      files[(i++ * 7) % 3].push_back(e);
      end = std::max(end, e.t);
    }
  }
  // Writes what each process has flushed by `now`: its events up to 100 ms before.
  void writeUpTo(const std::string& dir, TimeNs now) {
    for (std::size_t f = 0; f < files.size(); ++f) {
      std::string text;
      while (written[f] < files[f].size() && files[f][written[f]].t <= now - 100 * kMillisecond) {
        chaos::appendTraceLine(text, files[f][written[f]].t, files[f][written[f]].event);
        ++written[f];
      }
      std::ofstream(dir + "/" + names[f], std::ios::binary | std::ios::app) << text;
    }
  }
  // The model of every event at or before `cutoff`, merged as the orchestrator does.
  RunModel upTo(TimeNs cutoff) const {
    std::vector<chaos::TraceEntry> all;
    for (const auto& file : files)
      for (const auto& e : file)
        if (e.t <= cutoff) all.push_back(e);
    std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.t < b.t; });
    RunModel m;
    for (const auto& e : all) m.append(e);
    return m;
  }
};

std::vector<chaos::TraceEntry> flagshipEntries() {
  std::ifstream in(testing::flagshipTrace());
  return chaos::readTrace(in).entries;
}

const std::vector<TimeNs>& someTimes() {
  static const std::vector<TimeNs> times = [] {
    std::vector<TimeNs> t;
    for (TimeNs s = 0; s <= 130 * kSecond; s += 7 * kSecond + 300 * kMillisecond) t.push_back(s);
    return t;
  }();
  return times;
}

TEST(LiveAttach, TheWindowFollowsTheRunExactlyAndLoadsTheFinalTrace) {
  testing::offscreenApp();
  RunDir dir;
  const std::vector<chaos::TraceEntry> trace = flagshipEntries();
  Processes processes(trace);
  MainWindow window;
  LiveAttach live(&window, dir.qpath());
  int checked = 0;
  TimeNs now = kSecond;
  for (int step = 0; now <= processes.end + 3 * kSecond; now += 2 * kSecond, ++step) {
    processes.writeUpTo(dir.path(), now);
    live.poll(now);
    const TimeNs edge = now - kDefaultWatermark;
    ASSERT_TRUE(live.following()) << now;
    EXPECT_EQ(window.endTime(), edge);
    EXPECT_EQ(window.playback()->time(), edge);  // following the live edge
    if (step % 10 == 0 || now > processes.end) {
      ASSERT_EQ(testing::dumpModel(*window.model(), someTimes()),
                testing::dumpModel(processes.upTo(edge), someTimes()))
          << "at " << now;
      ++checked;
    }
  }
  EXPECT_GE(checked, 6);
  EXPECT_EQ(live.follower().lateEntries(), 0u);
  EXPECT_EQ(live.follower().files(), 3u);

  // Scrubbed back: the time stays put while the run goes on...
  window.playback()->setTime(30 * kSecond);
  live.poll(now);
  EXPECT_FALSE(live.following());
  EXPECT_EQ(window.playback()->time(), 30 * kSecond);
  EXPECT_EQ(window.endTime(), now - kDefaultWatermark);
  // ...and follows again once brought back to the end.
  window.playback()->setTime(window.endTime());
  now += kSecond;
  live.poll(now);
  EXPECT_TRUE(live.following());
  EXPECT_EQ(window.playback()->time(), now - kDefaultWatermark);

  // The merged trace appears: once it has stopped growing, it is the final state.
  fs::copy_file(testing::flagshipTrace(), dir.path() + "/trace.jsonl");
  live.poll(now += kSecond);
  EXPECT_FALSE(live.finished());  // its size seen once
  bool loaded = false;
  QObject::connect(&live, &LiveAttach::runFinished, [&](bool trace_loaded) { loaded = trace_loaded; });
  live.poll(now += kSecond);
  ASSERT_TRUE(live.finished());
  EXPECT_TRUE(loaded);
  RunModel final_model;
  loadTraceFile(testing::flagshipTrace(), final_model);
  EXPECT_EQ(testing::dumpModel(*window.model(), someTimes()), testing::dumpModel(final_model, someTimes()));
  EXPECT_EQ(window.model()->expectations().size(), 7u);
  const std::size_t events = window.model()->events();
  processes.writeUpTo(dir.path(), now + 10 * kSecond);
  live.poll(now + 10 * kSecond);  // finished: nothing more
  EXPECT_EQ(window.model()->events(), events);
}

TEST(LiveAttach, ARemovedRunDirectoryEndsTheFollowingWithWhatWasSeen) {
  testing::offscreenApp();
  RunDir dir;
  Processes processes(flagshipEntries());
  MainWindow window;
  LiveAttach live(&window, dir.qpath());
  processes.writeUpTo(dir.path(), 40 * kSecond);
  live.poll(40 * kSecond);
  EXPECT_LT(window.model()->events(), processes.upTo(40 * kSecond).events());  // some held back
  dir.remove();
  bool loaded = true;
  QObject::connect(&live, &LiveAttach::runFinished, [&](bool trace_loaded) { loaded = trace_loaded; });
  live.poll(41 * kSecond);
  ASSERT_TRUE(live.finished());
  EXPECT_FALSE(loaded);
  // Everything written was appended, the held-back entries too.
  EXPECT_EQ(testing::dumpModel(*window.model(), someTimes()),
            testing::dumpModel(processes.upTo(40 * kSecond - 100 * kMillisecond), someTimes()));
  EXPECT_NE(live.statusText().indexOf("was removed"), -1) << live.statusText().toStdString();
}

TEST(LiveAttach, ADirectoryWithoutRunJsonIsNotARun) {
  testing::offscreenApp();
  MainWindow window;
  EXPECT_THROW(LiveAttach(&window, QStringLiteral("/nonexistent/run")), std::runtime_error);
}

TEST(LiveAttach, TheProgramFollowsForAWhileAndTakesItsScreenshot) {
  RunDir dir;
  Processes processes(flagshipEntries());
  processes.writeUpTo(dir.path(), 10 * kSecond);  // t0 is long past: everything is older than the watermark
  const std::string out = testing::testOutputDir() + "/attach.png";
  std::error_code ignored;
  fs::remove(out, ignored);
  std::string errors;
  EXPECT_EQ(testing::runProgram(MESHPROOF_VIZ_BINARY, {"--attach", dir.qpath(), "--for", "1", "--window-screenshot",
                                                       QString::fromStdString(out)},
                                &errors),
            0)
      << errors;
  EXPECT_TRUE(fs::exists(out));
  EXPECT_GT(fs::file_size(out), 10'000u);
  // Through `meshproof viz`, which passes its arguments on.
  EXPECT_EQ(testing::runProgram(MESHPROOF_BINARY, {"viz", "--attach", "/nonexistent/run", "--for", "1"}, &errors), 2);
  EXPECT_NE(errors.find("/nonexistent/run: not a live run directory"), std::string::npos) << errors;
  EXPECT_EQ(testing::runProgram(MESHPROOF_VIZ_BINARY, {"--attach", dir.qpath(), "--at", "3"}, &errors), 2);
  EXPECT_NE(errors.find("no --at with it"), std::string::npos) << errors;
}

}  // namespace
}  // namespace meshproof::viz
