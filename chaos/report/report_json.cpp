// Builds report.json.
#include "chaos/report/report_json.h"

#include "chaos/text/numbers.h"

namespace meshproof::chaos {
namespace {

using Json = nlohmann::ordered_json;

Json serviceJson(const telemetry::RequestStats& stats) {
  Json service;
  service["requests"] = stats.requests();
  const auto rate = stats.successRatePercent();
  service["success_rate"] = rate ? Json(roundedTo(*rate)) : Json();
  service["latency_ms"] = Json{{"p50", roundedTo(stats.latencyQuantileMs(0.50))},
                               {"p90", roundedTo(stats.latencyQuantileMs(0.90))},
                               {"p99", roundedTo(stats.latencyQuantileMs(0.99))}};
  Json flags = Json::object();
  for (const auto& count : stats.flagCounts()) flags[std::string(count.name)] = count.count;
  service["response_flags"] = std::move(flags);
  return service;
}

}  // namespace

Json expectationJson(const ExpectationResult& result) {
  Json out;
  out["name"] = result.name;
  out["type"] = result.type;
  out["passed"] = result.verdict.passed;
  out["observed"] = result.verdict.observed;
  if (!result.verdict.passed) out["reason"] = result.verdict.reason;
  if (!result.verdict.note.empty()) out["note"] = result.verdict.note;
  if (result.verdict.decided_at) out["at_s"] = reportSeconds(*result.verdict.decided_at);
  return out;
}

Json reportJson(const RunInfo& info, const RunStatistics& statistics,
                const std::vector<ExpectationResult>& expectations) {
  Json report;
  report["scenario"] = info.scenario;
  report["seed"] = info.seed;
  report["mode"] = info.mode;
  report["simulated_s"] = reportSeconds(info.simulated);
  report["wall_s"] = roundedTo(info.wall_s);
  const ClientTotals& clients = statistics.clients();
  report["requests"] = Json{{"total", clients.total},
                            {"succeeded", clients.succeeded},
                            {"failed", clients.failed},
                            {"lost", clients.lost}};
  Json services = Json::object();
  for (const auto& [name, stats] : statistics.metrics().services()) services[name] = serviceJson(stats);
  report["services"] = std::move(services);
  Json list = Json::array();
  for (const auto& result : expectations) list.push_back(expectationJson(result));
  report["expectations"] = std::move(list);
  report["trace_sha256"] = info.trace_sha256;
  return report;
}

std::string formatReportJson(const RunInfo& info, const RunStatistics& statistics,
                             const std::vector<ExpectationResult>& expectations) {
  return reportJson(info, statistics, expectations).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace meshproof::chaos
