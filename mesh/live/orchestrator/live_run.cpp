// Starting, running, stopping and collecting a live run.
#include "mesh/live/orchestrator/live_run.h"

#include <boost/asio/steady_timer.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>

#include "chaos/trace/trace_reader.h"
#include "mesh/control/mesh_nodes.h"
#include "mesh/live/events_file.h"
#include "mesh/live/http_call.h"
#include "mesh/live/live_clock.h"
#include "mesh/live/orchestrator/fault_driver.h"
#include "mesh/live/orchestrator/live_load_generator.h"
#include "mesh/live/orchestrator/live_mesh.h"
#include "mesh/live/orchestrator/process_supervisor.h"
#include "mesh/live/run_layout.h"

namespace meshproof::live {
namespace {

namespace fs = std::filesystem;
namespace asio = boost::asio;

// Every events file of the run, merged by time (file order within a time).
std::vector<chaos::TraceEntry> collectEvents(const std::string& dir) {
  std::vector<chaos::TraceEntry> all;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".events") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream in(file);
    try {
      auto contents = chaos::readTrace(in);
      for (auto& e : contents.entries) all.push_back(std::move(e));
    } catch (const chaos::TraceFormatError& e) {
      // A process killed mid-line leaves a partial last line: keep what parsed.
      std::fprintf(stderr, "meshproof: %s: %s (the rest of the file is skipped)\n", file.c_str(), e.what());
    }
  }
  std::stable_sort(all.begin(), all.end(), [](const chaos::TraceEntry& a, const chaos::TraceEntry& b) { return a.t < b.t; });
  for (auto& e : all) e.t = std::max<TimeNs>(e.t, 0);  // start-up, before t0
  return all;
}

}  // namespace

LiveRunResult runLive(const scenario::Plan& plan, const LiveRunOptions& options, EventSink& sink) {
  catchInterruptions();
  LiveMesh mesh(plan, options.scenario_file, options.seed);
  const RunLayout& layout = mesh.layout();
  const std::string& dir = layout.dir;
  ProcessSupervisor& supervisor = mesh.processes();
  if (options.started) options.started(dir);

  asio::io_context io;
  LiveClock clock(layout.t0);
  EventsFile orchestrator_events(dir + "/orchestrator.events");
  LiveLoadGenerator load(io, plan, layout, clock, Rng(options.seed), orchestrator_events);
  FaultDriver faults(io, plan, layout, supervisor, orchestrator_events, clock);
  bool interrupted = false;

  // Wait for t0, then run: the workload and the faults; the drain; the end.
  asio::steady_timer phase(io);
  const TimeNs drain_until = plan.duration + options.drain_limit;
  std::function<void()> watch = [&] {
    const TimeNs now = clock.now();
    if (interruptionRequested()) {
      interrupted = true;
      return io.stop();
    }
    if (options.progress) options.progress(static_cast<double>(now) / 1e9, static_cast<double>(plan.duration) / 1e9);
    if (now >= plan.duration && (load.outstanding() == 0 || now >= drain_until)) return io.stop();
    orchestrator_events.flush();
    phase.expires_after(std::chrono::milliseconds(100));
    phase.async_wait([&](boost::system::error_code ec) {
      if (!ec) watch();
    });
  };
  phase.expires_at(asio::steady_timer::time_point(std::chrono::nanoseconds(layout.t0)));
  phase.async_wait([&](boost::system::error_code ec) {
    if (ec) return;
    if (interruptionRequested()) {
      interrupted = true;
      return io.stop();
    }
    load.start();
    faults.start();
    watch();
  });
  io.run();
  const TimeNs end = clock.now();
  load.finish();
  orchestrator_events.sync();  // in the file before the files are merged
  mesh.stop();
  if (interrupted) throw LiveRunInterrupted("interrupted; every process of the run was stopped");

  sink.emit(0, RunEvent{plan.name, options.seed, "live", plan.duration, layout.wall_t0});
  for (const auto& entry : collectEvents(dir)) sink.emit(entry.t, entry.event);
  LiveRunResult result;
  result.end = std::max(end, plan.duration);
  if (options.keep_run_dir) {
    mesh.keepRunDir();
    result.run_dir = dir;
  }
  return result;
}

}  // namespace meshproof::live
