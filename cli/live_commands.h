// The processes of a live run, each a subcommand of `meshproof` so that one binary
// serves every role (the orchestrator starts them from its own executable):
//   meshproof control --run-dir DIR [--seed N]            the control plane and mesh CA
//   meshproof proxy   --run-dir DIR --node NAME [--seed N] one sidecar (or the ingress gateway)
//   meshproof app     --run-dir DIR --instance NAME [--seed N]  the stand-in application
// Each reads DIR/plan.yaml and DIR/run.json, and exits 2 on unusable input.
// And for people: meshproof up SCENARIO [--attach SERVICE=PORT]... keeps a scenario's
// mesh up on loopback until Ctrl-C (cli/up_command.cpp).
#pragma once
#include <string>
#include <vector>

namespace meshproof::cli {

int controlCommand(const std::vector<std::string>& args);
int proxyCommand(const std::vector<std::string>& args);
int appCommand(const std::vector<std::string>& args);
int upCommand(const std::vector<std::string>& args);

}  // namespace meshproof::cli
