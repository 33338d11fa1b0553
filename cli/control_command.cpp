// `meshproof control`: the live control plane process (mesh/live/control).
#include <boost/asio/signal_set.hpp>
#include <iostream>
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
  live::ControlServer server(io, plan, layout, parsed->seed.value_or(plan.seed));
  live::http::AdminServer admin(io);
  admin.route("GET", "/ready", [](const live::http::AdminRequest&) { return live::http::textResponse(200, "ready"); });
  admin.route("GET", "/state", [&server](const live::http::AdminRequest&) {
    live::http::AdminResponse r{200, "application/json", server.state()};
    return r;
  });
  admin.route("POST", "/registry", [&server](const live::http::AdminRequest& request) {
    const auto body = nlohmann::json::parse(request.body, nullptr, false);
    if (!body.is_object() || !body.contains("instance") || !body.contains("ready") || !body["instance"].is_string() ||
        !body["ready"].is_boolean())
      return badRequest("expected {\"instance\": NAME, \"ready\": true|false, \"reason\": TEXT}");
    server.instanceStatus(body["instance"], body["ready"], body.value("reason", std::string()));
    return live::http::textResponse(200, "ok");
  });
  admin.route("PUT", "/fault/revoke-ca", [&server](const live::http::AdminRequest&) {
    server.setCaRevoked(true);
    return live::http::textResponse(200, "revoked");
  });
  admin.route("DELETE", "/fault/revoke-ca", [&server](const live::http::AdminRequest&) {
    server.setCaRevoked(false);
    return live::http::textResponse(200, "restored");
  });
  admin.route("PUT", "/fault/down", [&server](const live::http::AdminRequest&) {
    server.setDown(true);
    return live::http::textResponse(200, "down");
  });
  admin.route("DELETE", "/fault/down", [&server](const live::http::AdminRequest&) {
    server.setDown(false);
    return live::http::textResponse(200, "up");
  });
  try {
    server.start();
    admin.listen(layout.control_admin);
  } catch (const std::exception& e) {
    std::cerr << "meshproof control: " << e.what() << "\n";
    return 2;
  }
  boost::asio::signal_set signals(io, SIGTERM, SIGINT);
  signals.async_wait([&](boost::system::error_code, int) {
    server.stop();
    admin.close();
    io.stop();
  });
  io.run();
  return 0;
}

}  // namespace meshproof::cli
