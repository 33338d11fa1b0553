// Sim and live must agree: a live run is compared with the simulation of the same
// scenario and seed. A RunSummary keeps what is compared (per service as its callers
// see it: requests, success rate, p50/p90/p99; each expectation's verdict) and
// travels as JSON from the forked simulation; the comparison lists whether every
// verdict agrees and, per service, live, sim and live - sim.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "chaos/expectations/expectation_result.h"
#include "chaos/report/run_statistics.h"

namespace meshproof::chaos {

struct ServiceFigures {
  std::uint64_t requests = 0;
  double success_rate = 0;  // percent
  double p50_ms = 0, p90_ms = 0, p99_ms = 0;
};

struct RunSummary {
  std::map<std::string, ServiceFigures> services;
  std::vector<std::pair<std::string, bool>> verdicts;  // name, passed, in plan order
};

RunSummary summarize(const RunStatistics& statistics, const std::vector<ExpectationResult>& expectations);
nlohmann::ordered_json summaryJson(const RunSummary& summary);
RunSummary summaryFromJson(const nlohmann::json& json);

// report.json's "versus_sim": {verdicts_agree, verdicts: [{name, live, sim}],
// services: {name: {requests: {live, sim}, success_rate: {live, sim, delta},
// latency_ms: {p50|p90|p99: {live, sim, delta}}}}}.
nlohmann::ordered_json comparisonJson(const RunSummary& live, const RunSummary& sim);
// The summary table's lines for it.
std::string comparisonText(const RunSummary& live, const RunSummary& sim);
bool verdictsAgree(const RunSummary& live, const RunSummary& sim);

}  // namespace meshproof::chaos
