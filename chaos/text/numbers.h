// Deterministic figures for reports: values rounded to a fixed number of decimals
// (so that nlohmann's shortest round-trip printing shows at most those decimals) and
// fixed-point text that never depends on the locale.
#pragma once
#include <string>

#include "mesh/core/time.h"

namespace meshproof::chaos {

// Decimals of every figure in report.json, JUnit and the summary table.
inline constexpr int kReportDecimals = 3;

// `value` rounded half away from zero to `decimals` decimals.
double roundedTo(double value, int decimals = kReportDecimals);
// "99.500" — fixed-point, exactly `decimals` decimals, '.' as separator.
std::string fixedText(double value, int decimals = kReportDecimals);
// Seconds / milliseconds of a duration, rounded for a report (seconds keep 6
// decimals: microseconds, enough for the visualizer to jump to an instant).
double reportSeconds(DurationNs d);
double reportMillis(DurationNs d);

}  // namespace meshproof::chaos
