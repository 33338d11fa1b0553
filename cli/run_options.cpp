// Strict parsing of `meshproof run` arguments.
#include "cli/run_options.h"

#include <charconv>
#include <filesystem>

namespace meshproof::cli {

RunOptions parseRunOptions(const std::vector<std::string>& args) {
  RunOptions o;
  auto value = [&](std::size_t& i, const std::string& flag) -> std::string {
    if (i + 1 >= args.size()) throw UsageError(flag + " needs a value");
    return args[++i];
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--seed") {
      const std::string v = value(i, a);
      std::uint64_t seed = 0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), seed);
      if (ec != std::errc() || end != v.data() + v.size())
        throw UsageError("--seed: \"" + v + "\" is not a non-negative integer");
      o.seed = seed;
    } else if (a == "--mode") {
      o.mode = value(i, a);
      if (o.mode != "sim" && o.mode != "live") throw UsageError("--mode: \"" + o.mode + "\" is not sim or live");
    } else if (a == "--report") {
      o.report_path = value(i, a);
    } else if (a == "--junit") {
      o.junit_path = value(i, a);
    } else if (a == "--trace") {
      o.trace_path = value(i, a);
    } else if (a == "--quiet" || a == "-q") {
      o.quiet = true;
    } else if (a == "--verbose-simgrid") {
      o.verbose_simgrid = true;
    } else if (!a.empty() && a[0] == '-') {
      throw UsageError("unknown option " + a);
    } else {
      o.files.push_back(a);
    }
  }
  if (o.files.empty()) throw UsageError("no scenario file given");
  return o;
}

std::string outputPathFor(const std::string& path, const std::string& scenario_file, std::size_t file_count) {
  if (path.empty() || file_count <= 1) return path;
  const std::filesystem::path p(path);
  const std::string stem = std::filesystem::path(scenario_file).stem().string();
  return (p.parent_path() / (p.stem().string() + "-" + stem + p.extension().string())).string();
}

}  // namespace meshproof::cli
