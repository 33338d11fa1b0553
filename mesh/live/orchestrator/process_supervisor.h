// The processes of a live run: each started from the meshproof executable itself
// with its subcommand, its standard output and error to a log in the run directory,
// in a session of its own (scheduled as a workload of its own, as a pod's cgroup is),
// and PR_SET_PDEATHSIG so it dies with the orchestrator whatever happens. Processes
// are killed (a crash fault: SIGKILL), stopped (SIGTERM, a grace period, then
// SIGKILL: the control-plane-down fault, and everything at the end, so nothing is
// left running) and started again.
#pragma once
#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace meshproof::live {

struct ProcessSpec {
  std::string name;               // e.g. "proxy payments-v1-0"
  std::vector<std::string> args;  // after the executable: {"proxy", "--run-dir", ...}
  std::string log_path;
};

class ProcessSupervisor {
 public:
  ProcessSupervisor();  // the executable is /proc/self/exe
  ~ProcessSupervisor();  // stopAll()
  ProcessSupervisor(const ProcessSupervisor&) = delete;
  ProcessSupervisor& operator=(const ProcessSupervisor&) = delete;

  // Starts (or starts again) the process; throws std::runtime_error when it cannot.
  void start(const ProcessSpec& spec);
  // SIGKILL and reap; no-op when it is not running.
  void kill(const std::string& name);
  // SIGTERM, then SIGKILL if it has not exited within `grace`; reaped either way.
  void stop(const std::string& name, std::chrono::milliseconds grace);
  void restart(const std::string& name);
  bool running(const std::string& name);
  // Processes that exited without being asked to, with their status text.
  std::vector<std::string> unexpectedExits();
  // SIGINT to every process (each stops at once; a sidecar would drain on SIGTERM),
  // then SIGKILL what has not exited within `grace`.
  void stopAll(std::chrono::milliseconds grace = std::chrono::milliseconds(2000));

 private:
  struct Process {
    ProcessSpec spec;
    pid_t pid = -1;
    bool expected_exit = false;
    std::string exit_text;
  };
  void reap();

  std::string executable_;
  std::map<std::string, Process> processes_;
};

}  // namespace meshproof::live
