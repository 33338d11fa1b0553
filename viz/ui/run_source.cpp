// Opens a trace, or runs a scenario through meshproof and opens its trace (see
// run_source.h).
#include "viz/ui/run_source.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>

namespace meshproof::viz {

bool isScenarioFile(const QString& path) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  return suffix == QStringLiteral("yaml") || suffix == QStringLiteral("yml") || suffix == QStringLiteral("json");
}

QString meshproofProgram() {
  return QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("meshproof"));
}

void runScenario(const QString& scenario, const QString& trace_path) {
  const QString program = meshproofProgram();
  if (!QFileInfo(program).isExecutable())
    throw OpenError("cannot run " + scenario.toStdString() + ": " + program.toStdString() + " not found");
  QProcess process;
  process.setProgram(program);
  process.setArguments({QStringLiteral("run"), scenario, QStringLiteral("--trace"), trace_path,
                        QStringLiteral("--quiet")});
  process.setProcessChannelMode(QProcess::SeparateChannels);
  process.start();
  if (!process.waitForStarted(10'000)) throw OpenError("cannot start " + program.toStdString());
  process.waitForFinished(-1);
  const QString errors = QString::fromLocal8Bit(process.readAllStandardError()).trimmed();
  if (process.exitStatus() != QProcess::NormalExit)
    throw OpenError("meshproof crashed running " + scenario.toStdString() + "\n" + errors.toStdString());
  const int status = process.exitCode();
  if (status != 0 && status != 1)  // 1: an expectation failed, which is worth seeing
    throw OpenError(errors.isEmpty() ? "meshproof run " + scenario.toStdString() + " exited with status " +
                                           std::to_string(status)
                                     : errors.toStdString());
}

OpenedRun openRun(const QString& path, const std::function<void(const LoadProgress&)>& progress) {
  OpenedRun run;
  run.source = path;
  QString trace = path;
  QTemporaryDir scratch;
  if (isScenarioFile(path)) {
    if (!scratch.isValid()) throw OpenError("cannot create a temporary directory for the trace");
    trace = scratch.filePath(QFileInfo(path).completeBaseName() + QStringLiteral(".jsonl"));
    runScenario(path, trace);
    run.simulated = true;
  }
  QElapsedTimer clock;
  clock.start();
  run.model = std::make_unique<RunModel>();
  LoadOptions options;
  options.progress = progress;
  run.summary = loadTraceFile(trace.toStdString(), *run.model, options);
  run.model->graph();  // built here, off the GUI thread when opened from the menu
  run.load_seconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
  return run;
}

TimeNs openingTime(const RunModel& model) {
  for (const VerdictEvent& v : model.expectations())
    if (!v.passed && v.decided_at) return *v.decided_at;
  const auto& faults = model.timeline().faults();
  if (!faults.empty()) return std::min(model.endTime(), faults.front().start + 10 * kSecond);
  return model.endTime() / 2;
}

QString runTitle(const RunModel& model) {
  if (!model.run()) return {};
  return QString::fromStdString(model.run()->scenario) + QStringLiteral(" (seed %1)").arg(model.run()->seed);
}

}  // namespace meshproof::viz
