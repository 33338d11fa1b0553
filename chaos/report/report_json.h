// report.json (SCENARIO.md): scenario, seed, mode, simulated_s, wall_s, requests,
// services, expectations, trace_sha256, in that order. Figures are rounded to 3
// decimals (instants to 6) and printed by nlohmann's shortest round-trip rule, so the
// same events give the same bytes. Per service: requests, success_rate (percent),
// latency_ms {p50, p90, p99} and response_flags with every flag of mesh/core/http.h
// by its short name, zeros included, in allResponseFlags() order; services by name.
// Per expectation: name, type, passed, observed, then reason (failed only), note
// (when there is one) and at_s (the instant it was decided, when there is one).
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "chaos/expectations/expectation_result.h"
#include "chaos/report/run_info.h"
#include "chaos/report/run_statistics.h"

namespace meshproof::chaos {

nlohmann::ordered_json expectationJson(const ExpectationResult& result);
nlohmann::ordered_json reportJson(const RunInfo& info, const RunStatistics& statistics,
                                  const std::vector<ExpectationResult>& expectations);
// The file's text: two-space indentation, a final newline.
std::string formatReportJson(const RunInfo& info, const RunStatistics& statistics,
                             const std::vector<ExpectationResult>& expectations);

}  // namespace meshproof::chaos
