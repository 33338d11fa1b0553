// The JUnit XML file for CI: <testsuites> holding one <testsuite> named after the
// scenario, with the run's seed, mode, simulated length and trace hash as
// properties, and one <testcase> per expectation (classname: the scenario, name: the
// expectation). A failed expectation carries <failure message="reason"
// type="expectation type"> whose text is the reason, the observed values and the
// instant it was decided; every testcase's <system-out> holds its observed values
// (and note). The suite's time is the wall-clock time of the run.
#pragma once
#include <string>
#include <vector>

#include "chaos/expectations/expectation_result.h"
#include "chaos/report/run_info.h"

namespace meshproof::chaos {

std::string formatJunitXml(const RunInfo& info, const std::vector<ExpectationResult>& expectations);

// Escapes & < > " ' for text and attribute values.
std::string escapeXml(std::string_view text);

}  // namespace meshproof::chaos
