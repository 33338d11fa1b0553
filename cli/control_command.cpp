// `meshproof control`: the live control plane process (mesh/live/control).
#include <boost/asio/signal_set.hpp>
#include <iostream>
#include <optional>
#include <nlohmann/json.hpp>

#include "cli/live_commands.h"
#include "cli/live_process_args.h"
#include "mesh/live/control/control_server.h"
#include "mesh/live/http/admin_server.h"

namespace meshproof::cli {
namespace {

live::http::AdminResponse badRequest(const std::string& what) { return live::http::textResponse(400, what); }

}  // namespace

int controlCommand(const std::vector<std::string>& args) {
  const auto parsed = parseLiveProcessArgs(args, "control", "");
  if (!parsed) return 2;
  scenario::Plan plan;
  live::RunLayout layout;
  if (!loadRun(*parsed, "control", plan, layout)) return 2;

  boost::asio::io_context io;
  // The admin port listens before the saved state is read: a readiness report that
  // finds the port closed was written to the registry files before (the reporters
  // write first, then tell), so it is in what is read; one that connects later is
  // taken once the loop runs, after the read.
  std::optional<live::ControlServer> server;
  live::http::AdminServer admin(io);
  admin.route("GET", "/ready", [](const live::http::AdminRequest&) { return live::http::textResponse(200, "ready"); });
  admin.route("GET", "/state", [&server](const live::http::AdminRequest&) {
    live::http::AdminResponse r{200, "application/json", server->state()};
    return r;
  });
  admin.route("POST", "/registry", [&server](const live::http::AdminRequest& request) {
    const auto body = nlohmann::json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("instance") || !body.contains("ready") || !body["instance"].is_string() ||
        !body["ready"].is_boolean())
      return badRequest("expected {\"instance\": NAME, \"ready\": true|false, \"reason\": TEXT}");
    server->instanceStatus(body["instance"], body["ready"], body.value("reason", std::string()));
    return live::http::textResponse(200, "ok");
  });
  admin.route("PUT", "/fault/revoke-ca", [&server](const live::http::AdminRequest&) {
    server->setCaRevoked(true);
    return live::http::textResponse(200, "revoked");
  });
  admin.route("DELETE", "/fault/revoke-ca", [&server](const live::http::AdminRequest&) {
    server->setCaRevoked(false);
    return live::http::textResponse(200, "restored");
  });
  try {
    admin.listen(layout.control_admin);
    server.emplace(io, plan, layout, parsed->seed.value_or(plan.seed));
    server->start();
  } catch (const std::exception& e) {
    std::cerr << "meshproof control: " << e.what() << "\n";
    return 2;
  }
  boost::asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](boost::system::error_code, int) {
    server->stop();
    admin.close();
    io.stop();
  });
  io.run();
  return 0;
}

}  // namespace meshproof::cli
