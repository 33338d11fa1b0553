// The options of `meshproof run` (SCENARIO.md "Command line"), parsed strictly: an
// unknown flag or a bad value is a usage error (exit status 2).
#pragma once
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace meshproof::cli {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RunOptions {
  std::vector<std::string> files;
  std::optional<std::uint64_t> seed;  // absent: the scenario's own seed
  std::string mode = "sim";           // sim | live
  std::string report_path;            // empty: no report file
  std::string junit_path;
  std::string trace_path;
  bool quiet = false;
  bool verbose_simgrid = false;
};

// `args` excludes the program name and the word "run". Throws UsageError.
RunOptions parseRunOptions(const std::vector<std::string>& args);

// With several scenario files, each writes its own output: "out.json" becomes
// "out-<scenario file stem>.json". With one file the path is used as given.
std::string outputPathFor(const std::string& path, const std::string& scenario_file, std::size_t file_count);

}  // namespace meshproof::cli
