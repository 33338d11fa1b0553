// `meshproof proxy`: one live sidecar (mesh/live/proxy), with its admin port:
//   GET /stats (Prometheus text), GET /config_dump (JSON), GET /ready (200 or 503),
//   PUT|DELETE /fault/clock-skew {"offset_ms": N}, /fault/partition {"peers": [instances]},
//   /fault/loss {"percentage": P}, /fault/bandwidth {"rate_bps": N}. It starts with
//   the faults in force on its instance (fault_state_file.h); it drains on SIGTERM and
//   stops at once on SIGINT.
#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "cli/live_commands.h"
#include "cli/live_process_args.h"
#include "mesh/control/mesh_nodes.h"
#include "mesh/live/fault_state_file.h"
#include "mesh/live/http/admin_server.h"
#include "mesh/live/proxy/proxy_node.h"

namespace meshproof::cli {
namespace {

using live::http::AdminRequest;
using live::http::AdminResponse;
using live::http::textResponse;

// The mesh CA's root, written by the control plane when it starts (waits up to 10 s).
std::optional<identity::CertificatePtr> readRoot(const live::RunLayout& layout) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(layout.path("ca.pem"));
    if (in) {
      std::stringstream text;
      text << in.rdbuf();
      try {
        return identity::Certificate::fromPem(text.str());
      } catch (const identity::IdentityError&) {
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::nullopt;
}

std::optional<nlohmann::json> jsonBody(const AdminRequest& request) {
  auto body = nlohmann::json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return std::nullopt;
  return body;
}

void routeFaults(live::http::AdminServer& admin, live::ProxyNode& proxy) {
  auto skew = std::make_shared<DurationNs>(0);
  admin.route("PUT", "/fault/clock-skew", [&proxy, skew](const AdminRequest& request) {
    const auto body = jsonBody(request);
    if (!body || !body->contains("offset_ms") || !(*body)["offset_ms"].is_number())
      return textResponse(400, "expected {\"offset_ms\": N}");
    const auto offset = static_cast<DurationNs>((*body)["offset_ms"].get<double>() * kMillisecond);
    proxy.skewClock(offset - *skew);
    *skew = offset;
    return textResponse(200, "skewed");
  });
  admin.route("DELETE", "/fault/clock-skew", [&proxy, skew](const AdminRequest&) {
    proxy.skewClock(-*skew);
    *skew = 0;
    return textResponse(200, "cleared");
  });
  admin.route("PUT", "/fault/partition", [&proxy](const AdminRequest& request) {
    const auto body = jsonBody(request);
    if (!body || !body->contains("peers") || !(*body)["peers"].is_array())
      return textResponse(400, "expected {\"peers\": [instances]}");
    std::set<std::string> peers;
    for (const auto& p : (*body)["peers"])
      if (p.is_string()) peers.insert(p.get<std::string>());
    proxy.setPartition(std::move(peers));
    return textResponse(200, "partitioned");
  });
  admin.route("DELETE", "/fault/partition", [&proxy](const AdminRequest&) {
    proxy.setPartition({});
    return textResponse(200, "healed");
  });
  admin.route("PUT", "/fault/loss", [&proxy](const AdminRequest& request) {
    const auto body = jsonBody(request);
    if (!body || !body->contains("percentage") || !(*body)["percentage"].is_number())
      return textResponse(400, "expected {\"percentage\": P}");
    const double p = (*body)["percentage"].get<double>();
    if (p < 0 || p > 100) return textResponse(400, "percentage must be 0-100");
    proxy.setLoss(p);
    return textResponse(200, "lossy");
  });
  admin.route("DELETE", "/fault/loss", [&proxy](const AdminRequest&) {
    proxy.setLoss(0);
    return textResponse(200, "cleared");
  });
  admin.route("PUT", "/fault/bandwidth", [&proxy](const AdminRequest& request) {
    const auto body = jsonBody(request);
    if (!body || !body->contains("rate_bps") || !(*body)["rate_bps"].is_number_integer())
      return textResponse(400, "expected {\"rate_bps\": N}");
    const auto rate = (*body)["rate_bps"].get<std::int64_t>();
    if (rate <= 0) return textResponse(400, "rate_bps must be positive");
    proxy.narrowLink(rate);
    return textResponse(200, "narrowed");
  });
  admin.route("DELETE", "/fault/bandwidth", [&proxy](const AdminRequest&) {
    proxy.widenLink();
    return textResponse(200, "cleared");
  });
}

}  // namespace

int proxyCommand(const std::vector<std::string>& args) {
  const auto parsed = parseLiveProcessArgs(args, "proxy", "--node");
  if (!parsed) return 2;
  scenario::Plan plan;
  live::RunLayout layout;
  if (!loadRun(*parsed, "proxy", plan, layout)) return 2;
  std::optional<control::MeshNodeSpec> node;
  for (auto& n : control::meshNodes(plan))
    if (n.name == parsed->name && n.sidecar) node = std::move(n);
  if (!node) {
    std::cerr << "meshproof proxy: the scenario has no sidecar named \"" << parsed->name << "\"\n";
    return 2;
  }
  const auto root = readRoot(layout);
  if (!root) {
    std::cerr << "meshproof proxy: no mesh CA root in " << layout.path("ca.pem") << " (is the control plane up?)\n";
    return 2;
  }
  // One thread runs everything the sidecar does (no other thread touches its sockets,
  // timers or handlers): asio need not lock its scheduler and reactor around them.
  boost::asio::io_context io(BOOST_ASIO_CONCURRENCY_HINT_UNSAFE);
  live::ProxyNode proxy(io, plan, layout, std::move(*node), {*root}, parsed->seed.value_or(plan.seed));
  live::http::AdminServer admin(io);
  admin.route("GET", "/ready", [&proxy](const AdminRequest&) {
    return proxy.ready() ? textResponse(200, "ready") : textResponse(503, "not ready");
  });
  admin.route("GET", "/stats", [&proxy](const AdminRequest&) {
    return AdminResponse{200, "text/plain; version=0.0.4", proxy.stats()};
  });
  admin.route("GET", "/config_dump", [&proxy](const AdminRequest&) {
    return AdminResponse{200, "application/json", proxy.configDump()};
  });
  routeFaults(admin, proxy);
  // Started again during a fault (crash, restartAfter): back with what is in force.
  for (const auto& problem : live::applySavedFaults(live::faultStateFile(layout, parsed->name), "proxy", admin))
    std::cerr << "meshproof proxy: " << parsed->name << ": a fault in force was not applied: " << problem << "\n";
  try {
    proxy.start();
    admin.listen(layout.node(parsed->name)->admin);
  } catch (const std::exception& e) {
    std::cerr << "meshproof proxy: " << parsed->name << ": " << e.what() << "\n";
    return 2;
  }
  // SIGTERM: drained first, as Istio's sidecar is in a terminating pod (what it has
  // accepted is answered, for up to mesh.proxy.terminationDrainDuration). SIGINT (Ctrl-C, and the orchestrator
  // at the end of a run), or a second signal: it stops at once.
  boost::asio::signal_set signals(io, SIGTERM, SIGINT);
  const auto stop = [&] {
    proxy.stop();
    admin.close();
    io.stop();
  };
  signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    if (signal != SIGTERM) return stop();
    proxy.drain(plan.mesh.mesh.proxy.termination_drain_duration, stop);
    signals.async_wait([&](boost::system::error_code again, int) {
      if (!again) stop();
    });
  });
  io.run();
  return 0;
}

}  // namespace meshproof::cli
