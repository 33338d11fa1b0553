// The QApplication of the UI tests, on the offscreen platform (no display needed;
// each test runs in its own process under ctest), and the flagship scenario's trace,
// produced once by the real `meshproof run` and reused while it is newer than the
// meshproof binary.
#pragma once
#include <QApplication>
#include <QProcess>
#include <QStringList>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace meshproof::viz::testing {

inline QApplication& offscreenApp() {
  static int argc = 1;
  static char name[] = "viz_ui_tests";
  static char* argv[] = {name, nullptr};
  static QApplication* app = [] {
    setenv("QT_QPA_PLATFORM", "offscreen", 1);
    if (!std::getenv("XDG_RUNTIME_DIR")) {
      const std::string dir = std::filesystem::temp_directory_path() / ("viz-tests-" + std::to_string(getuid()));
      std::filesystem::create_directories(dir);
      std::filesystem::permissions(dir, std::filesystem::perms::owner_all);
      setenv("XDG_RUNTIME_DIR", dir.c_str(), 1);
    }
    return new QApplication(argc, argv);
  }();
  return *app;
}

inline std::string testOutputDir() {
  std::filesystem::create_directories(MESHPROOF_TEST_OUTPUT);
  return MESHPROOF_TEST_OUTPUT;
}

// Runs `meshproof ARGS...`; returns its exit status, its standard error in `errors`.
inline int runProgram(const std::string& program, const QStringList& args, std::string* errors = nullptr) {
  QProcess p;
  p.start(QString::fromStdString(program), args);
  if (!p.waitForStarted(10'000)) throw std::runtime_error("cannot start " + program);
  p.waitForFinished(120'000);
  if (errors) *errors = p.readAllStandardError().toStdString();
  return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

inline std::string flagshipTrace() {
  namespace fs = std::filesystem;
  const fs::path trace = fs::path(testOutputDir()) / "flagship.jsonl";
  if (fs::exists(trace) && fs::last_write_time(trace) >= fs::last_write_time(MESHPROOF_BINARY)) return trace;
  const fs::path partial = trace.string() + ".partial." + std::to_string(getpid());
  const std::string scenario = std::string(MESHPROOF_SOURCE_DIR) + "/scenarios/flagship.yaml";
  const int status = runProgram(MESHPROOF_BINARY, {"run", QString::fromStdString(scenario), "--trace",
                                                   QString::fromStdString(partial.string()), "--quiet"});
  if (status != 0 && status != 1) throw std::runtime_error("meshproof run flagship.yaml exited " + std::to_string(status));
  fs::rename(partial, trace);  // atomic: a parallel test sees the whole file or none
  return trace;
}

}  // namespace meshproof::viz::testing
