// The `meshproof` command line: dispatches to its subcommands.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cli/live_commands.h"
#include "cli/run_command.h"

namespace {

const char* kUsage =
    "meshproof: a service mesh and its deterministic simulation testbed\n"
    "\n"
    "usage:\n"
    "  meshproof run FILE... [--seed N] [--mode sim|live] [--report out.json]\n"
    "                        [--junit out.xml] [--trace out.jsonl] [--quiet]\n"
    "  meshproof up FILE [--attach SERVICE=PORT]... [--seed N]  (a live mesh on loopback until Ctrl-C)\n"
    "  meshproof app --run-dir DIR --instance NAME [--seed N]   (live mode: one application process)\n"
    "  meshproof viz [TRACE.jsonl | FILE] [--at SECONDS] [--screenshot out.png]\n"
    "                        desktop visualizer (runs a scenario FILE first)\n"
    "  meshproof viz --attach RUN_DIR [--for SECONDS]          (follow a live run: the RUN_DIR `up` prints)\n"
    "\n"
    "exit status: 0 every expectation held, 1 at least one failed, 2 unusable input\n";

// `meshproof viz ...` runs meshproof-viz from the same directory with the same
// arguments: the visualizer is its own program so that meshproof never links Qt.
int vizCommand(const std::vector<std::string>& args, const char* argv0) {
  std::error_code error;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) self = argv0;
  const std::string viz = (self.parent_path() / "meshproof-viz").string();
  std::vector<char*> argv{const_cast<char*>(viz.c_str())};
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execv(viz.c_str(), argv.data());
  std::cerr << "meshproof viz: cannot run " << viz << ": " << std::strerror(errno)
            << " (the visualizer is built with -DMESHPROOF_BUILD_VIZ=ON)\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::cout << "meshproof 0.1.0\n";
    return 0;
  }
  if (args[0] == "run") return meshproof::cli::runCommand({args.begin() + 1, args.end()});
  if (args[0] == "control") return meshproof::cli::controlCommand({args.begin() + 1, args.end()});
  if (args[0] == "proxy") return meshproof::cli::proxyCommand({args.begin() + 1, args.end()});
  if (args[0] == "up") return meshproof::cli::upCommand({args.begin() + 1, args.end()});
  if (args[0] == "app") return meshproof::cli::appCommand({args.begin() + 1, args.end()});
  if (args[0] == "viz") return vizCommand({args.begin() + 1, args.end()}, argv[0]);
  std::cerr << "meshproof: unknown command '" << args[0] << "'\n\n" << kUsage;
  return 2;
}
