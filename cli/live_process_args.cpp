// Arguments and run files of the live processes.
#include "cli/live_process_args.h"

#include <iostream>

#include "mesh/config/config_error.h"
#include "mesh/scenario/scenario_loader.h"

namespace meshproof::cli {

std::optional<LiveProcessArgs> parseLiveProcessArgs(const std::vector<std::string>& args, const std::string& command,
                                                    const std::string& name_flag) {
  LiveProcessArgs out;
  auto usage = [&](const std::string& problem) -> std::optional<LiveProcessArgs> {
    std::cerr << "meshproof " << command << ": " << problem << "\nusage: meshproof " << command << " --run-dir DIR"
              << (name_flag.empty() ? "" : " " + name_flag + " NAME") << " [--seed N]\n";
    return std::nullopt;
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (i + 1 >= args.size()) return usage(a + " needs a value");
    if (a == "--run-dir") {
      out.run_dir = args[++i];
    } else if (!name_flag.empty() && a == name_flag) {
      out.name = args[++i];
    } else if (a == "--seed") {
      try {
        out.seed = std::stoull(args[++i]);
      } catch (const std::exception&) {
        return usage("--seed takes a number, not \"" + args[i] + "\"");
      }
    } else {
      return usage("unknown option " + a);
    }
  }
  if (out.run_dir.empty()) return usage("--run-dir is required");
  if (!name_flag.empty() && out.name.empty()) return usage(name_flag + " is required");
  return out;
}

bool loadRun(const LiveProcessArgs& args, const std::string& command, scenario::Plan& plan, live::RunLayout& layout) {
  try {
    plan = scenario::loadScenarioFile(args.run_dir + "/plan.yaml");
    layout = live::RunLayout::read(args.run_dir);
  } catch (const config::ConfigError& e) {
    std::cerr << "meshproof " << command << ": " << e.what() << "\n";
    return false;
  } catch (const std::exception& e) {
    std::cerr << "meshproof " << command << ": " << e.what() << "\n";
    return false;
  }
  return true;
}

}  // namespace meshproof::cli
