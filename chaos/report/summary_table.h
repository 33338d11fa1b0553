// The end-of-run summary for a terminal: the workload's request totals, a table of
// services (requests, success %, p50 and p99 ms, non-zero response flags) with
// aligned columns, then one line per expectation, PASS or FAIL, with its observed
// values (and the reason, indented, under a failure), then the count of
// expectations that held. Plain text; ANSI colour (green PASS, red FAIL) only when
// asked.
#pragma once
#include <string>
#include <vector>

#include "chaos/expectations/expectation_result.h"
#include "chaos/report/run_info.h"
#include "chaos/report/run_statistics.h"

namespace meshproof::chaos {

struct SummaryOptions {
  bool colour = false;
};

std::string formatSummaryTable(const RunInfo& info, const RunStatistics& statistics,
                               const std::vector<ExpectationResult>& expectations,
                               const SummaryOptions& options = {});

}  // namespace meshproof::chaos
