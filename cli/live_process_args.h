// Command-line parsing shared by the live processes: --run-dir, --node/--instance and
// --seed, with a usage error (exit 2) for anything else.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mesh/live/run_layout.h"
#include "mesh/scenario/plan.h"

namespace meshproof::cli {

struct LiveProcessArgs {
  std::string run_dir;
  std::string name;  // --node or --instance
  std::optional<std::uint64_t> seed;
};

// Parses `args`; `name_flag` is "--node", "--instance" or empty (none taken). On a
// problem prints "meshproof <command>: <what>" and a usage line to stderr and returns nullopt.
std::optional<LiveProcessArgs> parseLiveProcessArgs(const std::vector<std::string>& args, const std::string& command,
                                                    const std::string& name_flag);

// Loads DIR/plan.yaml and DIR/run.json; prints the problem and returns false when either is unusable.
bool loadRun(const LiveProcessArgs& args, const std::string& command, scenario::Plan& plan, live::RunLayout& layout);

}  // namespace meshproof::cli
