// Test support for live sidecars: `meshproof up` on a scenario, run as a child
// process of the built meshproof (build/meshproof, next to the test's directory),
// with the run's layout and the sidecars' event files.
#pragma once
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <thread>

#include "app_test_support.h"
#include "mesh/live/run_layout.h"

namespace meshproof::live {

inline std::string meshproofBinary() {
  return (std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path() / "meshproof").string();
}

// `meshproof up SCENARIO`, stopped with SIGTERM when the test ends.
class UpMesh {
 public:
  explicit UpMesh(const std::string& scenario) {
    int out[2];
    if (::pipe(out) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      ::close(out[0]);
      ::close(out[1]);
      const std::string binary = meshproofBinary();
      ::execl(binary.c_str(), binary.c_str(), "up", scenario.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    std::string line;
    char c;
    while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
    ::close(out[0]);
    if (line.rfind("ready ", 0) == 0) layout_ = RunLayout::read(line.substr(6));
  }
  ~UpMesh() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    if (layout_) {
      EXPECT_FALSE(std::filesystem::exists(layout_->dir)) << "the run directory outlived `up`";
    }
  }
  const std::optional<RunLayout>& layout() const { return layout_; }
  std::uint16_t port(const std::string& node, std::uint16_t NodePorts::*which) const {
    return layout_->node(node)->*which;
  }
  // The node's events so far (the sidecar flushes them every 100 ms).
  std::string events(const std::string& node) const {
    return testing::readFile(layout_->path(node + ".events"));
  }
  // The pid of `meshproof proxy --node NODE` of this run (-1: none is running).
  pid_t proxyPid(const std::string& node) const {
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
      std::ifstream in(entry.path() / "cmdline");
      std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      std::replace(all.begin(), all.end(), '\0', ' ');
      if (all.find(" proxy --run-dir " + layout_->dir + " ") != std::string::npos &&
          all.find(" --node " + node + " ") != std::string::npos)
        return static_cast<pid_t>(std::stol(entry.path().filename().string()));
    }
    return -1;
  }
  // Whether `pid` has ended (gone, or a zombie its parent has not reaped yet).
  static bool ended(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = stat.rfind(')');
    return stat.empty() || close == std::string::npos || stat.compare(close + 2, 1, "Z") == 0;
  }
  bool eventuallyInEvents(const std::string& node, const std::string& text) const {
    for (int i = 0; i < 40; ++i) {
      if (events(node).find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

 private:
  pid_t pid_ = -1;
  std::optional<RunLayout> layout_;
};

}  // namespace meshproof::live
