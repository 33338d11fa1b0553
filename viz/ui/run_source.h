// Where a run comes from: a recorded trace (.jsonl), or a scenario file (.yaml, .yml,
// .json) that is first run in simulation by the `meshproof` program found next to
// this one (`meshproof run FILE --trace … --quiet`; its exit status 1, an
// expectation failed, is a run worth looking at; 2 is an error).
#pragma once
#include <QString>
#include <functional>
#include <memory>
#include <stdexcept>

#include "viz/model/run_model.h"
#include "viz/model/trace_loader.h"

namespace meshproof::viz {

class OpenError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OpenedRun {
  std::unique_ptr<RunModel> model;
  QString source;  // the file the user named
  LoadSummary summary;
  double load_seconds = 0;  // parse + model build
  bool simulated = false;   // a scenario was run first
};

bool isScenarioFile(const QString& path);
// `meshproof` next to the running program.
QString meshproofProgram();
// Runs `scenario` in simulation, writing its trace to `trace_path`. Throws OpenError
// with meshproof's own message when it refuses the scenario.
void runScenario(const QString& scenario, const QString& trace_path);
// Loads `path` (running it first when it is a scenario). Throws OpenError,
// TraceLoadError.
OpenedRun openRun(const QString& path, const std::function<void(const LoadProgress&)>& progress = {});

// The instant worth opening a run on: the first failed expectation, else 10 s into
// the first fault, else the middle of the run.
TimeNs openingTime(const RunModel& model);
// "<scenario> (seed N)", or empty without a run line.
QString runTitle(const RunModel& model);

}  // namespace meshproof::viz
