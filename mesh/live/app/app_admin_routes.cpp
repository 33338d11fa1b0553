// The app's admin routes and the checks of their JSON bodies (see
// app_admin_routes.h).
#include "mesh/live/app/app_admin_routes.h"

#include <cmath>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

namespace meshproof::live {

namespace {

using nlohmann::json;

// A body the route cannot use; answered 400 with what().
class BadBody : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::string inQuotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string formatNumber(double v) { return json(v).dump(); }

// The body as a JSON object with no field outside `known`.
json objectBody(std::string_view body, std::initializer_list<std::string_view> known) {
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw BadBody("body is not valid JSON");
  if (!j.is_object()) throw BadBody("body must be a JSON object");
  for (const auto& [name, value] : j.items()) {
    bool found = false;
    std::string expected;
    for (std::string_view k : known) {
      found = found || k == name;
      expected += (expected.empty() ? "" : ", ") + std::string(k);
    }
    if (!found) throw BadBody("unknown field " + inQuotes(name) + " (fields: " + expected + ")");
  }
  return j;
}

// Field `name` as a number in [min, max] (or > min when min_exclusive); `fallback`
// when absent, an error when absent without one.
double numberField(const json& j, const char* name, double min, double max, const double* fallback = nullptr,
                   bool min_exclusive = false) {
  const auto it = j.find(name);
  if (it == j.end()) {
    if (fallback) return *fallback;
    throw BadBody("missing field " + inQuotes(name));
  }
  if (!it->is_number()) throw BadBody("field " + inQuotes(name) + " must be a number, not " + it->dump());
  const double v = it->get<double>();
  const bool above_min = min_exclusive ? v > min : v >= min;
  if (!std::isfinite(v) || !above_min || v > max)
    throw BadBody("field " + inQuotes(name) + ": " + it->dump() + " is out of range " + (min_exclusive ? "(" : "[") +
                  formatNumber(min) + ", " + formatNumber(max) + "]");
  return v;
}

DurationNs millisToNs(double ms) {
  return static_cast<DurationNs>(std::llround(ms * static_cast<double>(kMillisecond)));
}

// Runs `apply` and answers its JSON; a bad body or a fault the app refuses is a 400.
template <typename Apply>
http::AdminResponse answer(Apply apply) {
  try {
    return http::jsonResponse(200, apply());
  } catch (const BadBody& e) {
    return http::textResponse(400, e.what());
  } catch (const std::invalid_argument& e) {
    return http::textResponse(400, e.what());
  }
}

constexpr double kDelayMsMax = static_cast<double>(app::kServiceTimeMaxNs / kMillisecond);  // one hour
constexpr double kCpuFactorMax = 1000;

}  // namespace

void addAppAdminRoutes(http::AdminServer& admin, app::AppInstance& app) {
  admin.route("PUT", "/fault/latency", [&app](const http::AdminRequest& r) {
    return answer([&] {
      const json j = objectBody(r.body, {"delay_ms", "jitter_ms"});
      const double delay_ms = numberField(j, "delay_ms", 0, kDelayMsMax);
      const double no_jitter = 0;
      const double jitter_ms = numberField(j, "jitter_ms", 0, kDelayMsMax, &no_jitter);
      app.setLatencyFault(millisToNs(delay_ms), millisToNs(jitter_ms));
      return json{{"fault", "latency"}, {"delay_ms", delay_ms}, {"jitter_ms", jitter_ms}};
    });
  });
  admin.route("DELETE", "/fault/latency", [&app](const http::AdminRequest&) {
    app.clearLatencyFault();
    return http::jsonResponse(200, json{{"fault", "latency"}, {"cleared", true}});
  });

  admin.route("PUT", "/fault/abort", [&app](const http::AdminRequest& r) {
    return answer([&] {
      const json j = objectBody(r.body, {"http_status", "percentage"});
      // Envoy's abort filter takes statuses in [200, 600): a 1xx is not a final answer.
      const double status = numberField(j, "http_status", 200, 599);
      if (!j.at("http_status").is_number_integer())
        throw BadBody("field \"http_status\" must be an integer, not " + j.at("http_status").dump());
      const double percentage = numberField(j, "percentage", 0, 100);
      app.setAbortFault(static_cast<int>(status), percentage);
      return json{{"fault", "abort"}, {"http_status", static_cast<int>(status)}, {"percentage", percentage}};
    });
  });
  admin.route("DELETE", "/fault/abort", [&app](const http::AdminRequest&) {
    app.clearAbortFault();
    return http::jsonResponse(200, json{{"fault", "abort"}, {"cleared", true}});
  });

  admin.route("PUT", "/fault/cpu", [&app](const http::AdminRequest& r) {
    return answer([&] {
      const json j = objectBody(r.body, {"factor"});
      const double factor = numberField(j, "factor", 0, kCpuFactorMax, nullptr, /*min_exclusive=*/true);
      app.setCpuFactor(factor);
      return json{{"fault", "cpu"}, {"factor", factor}};
    });
  });
  admin.route("DELETE", "/fault/cpu", [&app](const http::AdminRequest&) {
    app.setCpuFactor(1.0);
    return http::jsonResponse(200, json{{"fault", "cpu"}, {"cleared", true}});
  });

  admin.route("GET", "/ready", [](const http::AdminRequest&) { return http::textResponse(200, "ready"); });

  admin.route("GET", "/stats", [&app](const http::AdminRequest&) {
    const app::AppCounters& c = app.counters();
    const app::AppFaults& f = app.faults();
    json j = {{"instance", app.name()},
              {"received", c.received},
              {"served", c.served},
              {"errors", c.errors},
              {"aborted", c.aborted},
              {"calls_made", c.calls_made},
              {"calls_failed", c.calls_failed},
              {"busy", app.busy()},
              {"queued", app.queued()},
              {"faults", {{"latency", f.latencyActive()}, {"abort", f.abortActive()}, {"cpu_factor", f.cpuFactor()}}}};
    return http::jsonResponse(200, j);
  });
}

}  // namespace meshproof::live
