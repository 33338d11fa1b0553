// The `meshproof` command line: dispatches to its subcommands.
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
    "\n"
    "exit status: 0 every expectation held, 1 at least one failed, 2 unusable input\n";

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
  std::cerr << "meshproof: unknown command '" << args[0] << "'\n\n" << kUsage;
  return 2;
}
