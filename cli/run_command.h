// `meshproof run FILE...`: loads each scenario, runs it in simulation, checks its
// expectations, writes the report, JUnit and trace when asked, and prints a summary.
// Exit status: 0 every expectation held, 1 at least one failed, 2 unusable input.
#pragma once
#include <string>
#include <vector>

namespace meshproof::cli {

int runCommand(const std::vector<std::string>& args);

}  // namespace meshproof::cli
