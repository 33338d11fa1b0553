// fork/exec with a parent-death signal, kill, restart and reaping.
#include "mesh/live/orchestrator/process_supervisor.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace meshproof::live {
namespace {

std::string statusText(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("killed by signal ") + strsignal(WTERMSIG(status));
  return "stopped";
}

}  // namespace

ProcessSupervisor::ProcessSupervisor() {
  char path[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) throw std::runtime_error("cannot find the meshproof executable (/proc/self/exe)");
  executable_.assign(path, static_cast<std::size_t>(n));
}

ProcessSupervisor::~ProcessSupervisor() { stopAll(std::chrono::milliseconds(500)); }

void ProcessSupervisor::start(const ProcessSpec& spec) {
  Process& p = processes_[spec.name];
  if (p.pid > 0) kill(spec.name);
  p.spec = spec;
  p.expected_exit = false;
  p.exit_text.clear();
  std::vector<std::string> argv_storage{executable_};
  argv_storage.insert(argv_storage.end(), spec.args.begin(), spec.args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed: " + std::string(std::strerror(errno)));
  if (pid == 0) {
    // A session of its own, as each pod has a cgroup of its own: the kernel schedules
    // it as a workload of its own (autogroups), not as a thread among the others of
    // the run; and a terminal's Ctrl-C reaches the orchestrator only, which stops it.
    ::setsid();
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the orchestrator died before prctl
    const int log = ::open(spec.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log >= 0) {
      ::dup2(log, STDOUT_FILENO);
      ::dup2(log, STDERR_FILENO);
    }
    const int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, STDIN_FILENO);
    ::execv(executable_.c_str(), argv.data());
    ::_exit(127);
  }
  p.pid = pid;
}

void ProcessSupervisor::kill(const std::string& name) {
  auto it = processes_.find(name);
  if (it == processes_.end() || it->second.pid <= 0) return;
  it->second.expected_exit = true;
  ::kill(it->second.pid, SIGKILL);
  int status = 0;
  ::waitpid(it->second.pid, &status, 0);
  it->second.pid = -1;
}

void ProcessSupervisor::stop(const std::string& name, std::chrono::milliseconds grace) {
  auto it = processes_.find(name);
  if (it == processes_.end() || it->second.pid <= 0) return;
  Process& p = it->second;
  p.expected_exit = true;
  ::kill(p.pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  int status = 0;
  while (::waitpid(p.pid, &status, WNOHANG) != p.pid) {
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(p.pid, SIGKILL);
      ::waitpid(p.pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  p.pid = -1;
}

void ProcessSupervisor::restart(const std::string& name) {
  auto it = processes_.find(name);
  if (it == processes_.end()) return;
  const ProcessSpec spec = it->second.spec;
  start(spec);
}

void ProcessSupervisor::reap() {
  for (auto& [name, p] : processes_) {
    if (p.pid <= 0) continue;
    int status = 0;
    if (::waitpid(p.pid, &status, WNOHANG) == p.pid) {
      p.pid = -1;
      if (!p.expected_exit) p.exit_text = statusText(status);
    }
  }
}

bool ProcessSupervisor::running(const std::string& name) {
  reap();
  auto it = processes_.find(name);
  return it != processes_.end() && it->second.pid > 0;
}

std::vector<std::string> ProcessSupervisor::unexpectedExits() {
  reap();
  std::vector<std::string> out;
  for (const auto& [name, p] : processes_)
    if (!p.exit_text.empty()) out.push_back(name + " " + p.exit_text + " (log: " + p.spec.log_path + ")");
  return out;
}

void ProcessSupervisor::stopAll(std::chrono::milliseconds grace) {
  for (auto& [name, p] : processes_) {
    if (p.pid <= 0) continue;
    p.expected_exit = true;
    ::kill(p.pid, SIGINT);  // at once: a sidecar drains on SIGTERM, as in a terminating pod
  }
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    bool any = false;
    for (auto& [name, p] : processes_) {
      if (p.pid <= 0) continue;
      int status = 0;
      if (::waitpid(p.pid, &status, WNOHANG) == p.pid) {
        p.pid = -1;
      } else {
        any = true;
      }
    }
    if (!any) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (auto& [name, p] : processes_) {
    if (p.pid <= 0) continue;
    ::kill(p.pid, SIGKILL);
    int status = 0;
    ::waitpid(p.pid, &status, 0);
    p.pid = -1;
  }
}

}  // namespace meshproof::live
