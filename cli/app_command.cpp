// `meshproof app`: reads its arguments and the run directory, starts the app
// process (mesh/live/app/app_process.h) and runs it on one thread until SIGTERM or
// SIGINT.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/live_commands.h"
#include "mesh/live/app/app_config.h"
#include "mesh/live/app/app_process.h"
#include "mesh/live/fault_state_file.h"

namespace meshproof::cli {

namespace {

constexpr const char* kAppUsage = "usage: meshproof app --run-dir DIR --instance NAME [--seed N]\n";

struct AppArgs {
  bool help = false;
  std::string run_dir;
  std::string instance;
  std::optional<std::uint64_t> seed;
};

// Parses the arguments; on a problem prints it with the usage and returns nullopt.
std::optional<AppArgs> parseAppArgs(const std::vector<std::string>& args) {
  AppArgs out;
  auto fail = [](const std::string& message) -> std::optional<AppArgs> {
    std::cerr << "meshproof app: " << message << "\n" << kAppUsage;
    return std::nullopt;
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      out.help = true;
      return out;
    }
    if (a != "--run-dir" && a != "--instance" && a != "--seed") return fail("unknown argument '" + a + "'");
    if (i + 1 == args.size()) return fail(a + " needs a value");
    const std::string& v = args[++i];
    if (a == "--run-dir") {
      out.run_dir = v;
    } else if (a == "--instance") {
      out.instance = v;
    } else {
      if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos || v.size() > 20)
        return fail("--seed: '" + v + "' is not a non-negative integer");
      try {
        out.seed = std::stoull(v);
      } catch (const std::exception&) {
        return fail("--seed: '" + v + "' is out of range");
      }
    }
  }
  if (out.run_dir.empty()) return fail("--run-dir is required");
  if (out.instance.empty()) return fail("--instance is required");
  return out;
}

}  // namespace

int appCommand(const std::vector<std::string>& args) {
  const std::optional<AppArgs> parsed = parseAppArgs(args);
  if (!parsed) return 2;
  if (parsed->help) {
    std::cout << kAppUsage;
    return 0;
  }

  live::AppConfig config;
  try {
    config = live::loadAppConfig(parsed->run_dir, parsed->instance, parsed->seed);
  } catch (const live::AppConfigError& e) {
    std::cerr << "meshproof app: " << e.what() << "\n";
    return 2;
  }

  // A peer closing first must not kill the process (asio also sends with MSG_NOSIGNAL).
  std::signal(SIGPIPE, SIG_IGN);
  boost::asio::io_context io(1);
  // Caught from here on, also while binding: a stop request is never lost.
  boost::asio::signal_set signals(io, SIGTERM, SIGINT);
  live::AppProcess process(io, config);
  // Started again during a fault (crash, restartAfter): back with what is in force.
  for (const auto& problem : process.applySavedFaults(live::faultStateFile(parsed->run_dir, config.instance)))
    std::cerr << "meshproof app: " << config.instance << ": a fault in force was not applied: " << problem << "\n";
  try {
    process.start();
  } catch (const std::exception& e) {
    std::cerr << "meshproof app: " << config.instance << ": " << e.what() << "\n";
    return 2;
  }
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    process.close();
    io.stop();
  });
  std::cerr << "meshproof app: " << config.instance << " serving on 127.0.0.1:" << config.app_port
            << ", admin 127.0.0.1:" << config.admin_port << ", calls through 127.0.0.1:" << config.outbound_port
            << "\n";
  try {
    io.run();
  } catch (const std::exception& e) {
    std::cerr << "meshproof app: " << config.instance << ": internal error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace meshproof::cli
