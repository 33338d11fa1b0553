// One scenario per child process (SimGrid allows one simulation per process), its
// sinks (trace, expectations, statistics), and its outputs.
#include "cli/run_command.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>

#include "chaos/expectations/expectation_evaluator.h"
#include "chaos/report/junit_xml.h"
#include "chaos/report/mode_comparison.h"
#include "chaos/report/observed_text.h"
#include "chaos/report/report_json.h"
#include "chaos/report/run_statistics.h"
#include "chaos/report/summary_table.h"
#include "chaos/trace/trace_writer.h"
#include "cli/progress_line.h"
#include "cli/run_options.h"
#include "mesh/config/config_error.h"
#include "mesh/scenario/scenario_loader.h"
#include "mesh/live/orchestrator/live_run.h"
#include "sim/simulation.h"

namespace meshproof::cli {
namespace {

bool writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) {
    std::cerr << "meshproof: cannot write " << path << "\n";
    return false;
  }
  return true;
}

// The simulation of the same scenario and seed, run in a child process (SimGrid keeps
// one engine per process), summarised for the live-vs-sim comparison.
std::optional<chaos::RunSummary> simulatedSummary(const scenario::Plan& plan, std::uint64_t seed) {
  int fds[2];
  if (pipe(fds) != 0) return std::nullopt;
  std::cout << std::flush;
  std::cerr << std::flush;
  const pid_t pid = fork();
  if (pid < 0) return std::nullopt;
  if (pid == 0) {
    close(fds[0]);
    chaos::ExpectationEvaluator expectations(plan);
    chaos::RunStatistics statistics;
    FanOutSink sink;
    sink.add(expectations);
    sink.add(statistics);
    sim::SimulationOptions options;
    options.seed = seed;
    const TimeNs end = sim::simulate(plan, options, sink).simulated_end;
    const std::string text = chaos::summaryJson(chaos::summarize(statistics, expectations.finish(end))).dump();
    std::size_t at = 0;
    while (at < text.size()) {
      const ssize_t n = write(fds[1], text.data() + at, text.size() - at);
      if (n <= 0) _exit(1);
      at += static_cast<std::size_t>(n);
    }
    _exit(0);
  }
  close(fds[1]);
  std::string text;
  char chunk[65536];
  ssize_t n;
  while ((n = read(fds[0], chunk, sizeof chunk)) > 0) text.append(chunk, static_cast<std::size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  try {
    return chaos::summaryFromJson(nlohmann::json::parse(text));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

int runOne(const std::string& file, const RunOptions& options) {
  scenario::Plan plan;
  try {
    plan = scenario::loadScenarioFile(file);
  } catch (const config::ConfigError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  const std::uint64_t seed = options.seed.value_or(plan.seed);

  std::ofstream trace_file;
  std::ostream null_stream(nullptr);
  const std::string trace_path = options.trace_path;
  if (!trace_path.empty()) {
    trace_file.open(trace_path, std::ios::binary);
    if (!trace_file) {
      std::cerr << "meshproof: cannot write " << trace_path << "\n";
      return 2;
    }
  }
  chaos::TraceWriter trace(trace_path.empty() ? null_stream : trace_file);
  chaos::ExpectationEvaluator expectations(plan);
  chaos::RunStatistics statistics;
  FanOutSink sink;
  sink.add(trace);
  sink.add(expectations);
  sink.add(statistics);

  ProgressLine progress(plan.name, !options.quiet);
  sim::SimulationOptions sim_options;
  sim_options.seed = seed;
  sim_options.verbose_simgrid = options.verbose_simgrid;
  if (progress.enabled()) sim_options.progress = [&progress](double t, double total) { progress.update(t, total); };

  const auto wall_start = std::chrono::steady_clock::now();
  TimeNs run_end = 0;
  try {
    if (options.mode == "live") {
      live::LiveRunOptions live_options;
      live_options.scenario_file = file;
      live_options.seed = seed;
      live_options.progress = sim_options.progress;
      if (!options.quiet)
        live_options.started = [](const std::string& dir) {
          std::cerr << "meshproof: live run in " << dir << " (watch it: meshproof viz --attach " << dir << ")\n";
        };
      run_end = live::runLive(plan, live_options, sink).end;
    } else {
      run_end = sim::simulate(plan, sim_options, sink).simulated_end;
    }
  } catch (const live::LiveStartError& e) {
    progress.clear();
    std::cerr << file << ": the live mesh could not start: " << e.what() << "\n";
    return 2;
  } catch (const live::LiveRunInterrupted& e) {
    progress.clear();
    std::cerr << file << ": " << e.what() << "\n";
    return 130;
  }
  progress.clear();
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

  const auto verdicts = expectations.finish(run_end);
  // The verdicts close the trace, so that a replay shows them (and the hash covers them).
  for (const auto& r : verdicts)
    trace.emit(run_end, VerdictEvent{r.name, r.type, r.verdict.passed, chaos::observedText(r.verdict.observed),
                                                  r.verdict.reason, r.verdict.decided_at});
  trace_file.close();
  chaos::RunInfo info;
  info.scenario = plan.name;
  info.seed = seed;
  info.mode = options.mode;
  info.simulated = plan.duration;
  info.wall_s = wall_s;
  info.trace_sha256 = trace.sha256();

  // Live runs are compared with the simulation of the same scenario and seed.
  std::optional<chaos::RunSummary> sim_summary;
  const chaos::RunSummary live_summary = chaos::summarize(statistics, verdicts);
  if (options.mode == "live") {
    sim_summary = simulatedSummary(plan, seed);
    if (!sim_summary) std::cerr << file << ": the simulation to compare with did not run\n";
  }

  bool written = true;
  if (!options.report_path.empty()) {
    nlohmann::ordered_json report = chaos::reportJson(info, statistics, verdicts);
    if (sim_summary) report["versus_sim"] = chaos::comparisonJson(live_summary, *sim_summary);
    written &= writeFile(options.report_path,
                         report.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n");
  }
  if (!options.junit_path.empty()) written &= writeFile(options.junit_path, chaos::formatJunitXml(info, verdicts));
  if (!options.quiet) {
    chaos::SummaryOptions summary;
    summary.colour = isatty(STDOUT_FILENO);
    std::cout << chaos::formatSummaryTable(info, statistics, verdicts, summary);
    if (sim_summary) std::cout << chaos::comparisonText(live_summary, *sim_summary);
    std::cout << std::flush;
  }
  if (!written) return 2;
  const bool all_passed =
      std::all_of(verdicts.begin(), verdicts.end(), [](const chaos::ExpectationResult& r) { return r.verdict.passed; });
  return all_passed ? 0 : 1;
}

}  // namespace

int runCommand(const std::vector<std::string>& args) {
  RunOptions options;
  try {
    options = parseRunOptions(args);
  } catch (const UsageError& e) {
    std::cerr << "meshproof run: " << e.what() << "\n"
              << "usage: meshproof run FILE... [--seed N] [--mode sim|live] [--report out.json] "
                 "[--junit out.xml] [--trace out.jsonl] [--quiet]\n";
    return 2;
  }
  if (options.files.size() == 1) return runOne(options.files.front(), options);
  int worst = 0;
  for (const std::string& file : options.files) {
    RunOptions one = options;
    one.report_path = outputPathFor(options.report_path, file, options.files.size());
    one.junit_path = outputPathFor(options.junit_path, file, options.files.size());
    one.trace_path = outputPathFor(options.trace_path, file, options.files.size());
    std::cout << std::flush;
    std::cerr << std::flush;
    const pid_t pid = fork();
    if (pid < 0) {
      std::cerr << "meshproof: fork failed\n";
      return 2;
    }
    if (pid == 0) {
      const int code = runOne(file, one);
      std::cout << std::flush;
      std::cerr << std::flush;
      _exit(code);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 2;
    if (!WIFEXITED(status)) std::cerr << file << ": the simulation died (signal " << WTERMSIG(status) << ")\n";
    worst = std::max(worst, code);
  }
  return worst;
}

}  // namespace meshproof::cli
