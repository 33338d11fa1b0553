// The live-mode subcommands of `meshproof`: the processes a live run is made of,
// each started by the orchestrator with the run directory (mesh/live/run_layout.h).
// Exit status: 0 after SIGTERM/SIGINT, 2 unusable input (the message names it).
#pragma once
#include <string>
#include <vector>

namespace meshproof::cli {

// `meshproof app --run-dir DIR --instance NAME [--seed N]`: the stand-in
// application of instance NAME, until SIGTERM or SIGINT.
int appCommand(const std::vector<std::string>& args);

}  // namespace meshproof::cli
