// How checkers word times, rates and latencies in their reasons ("20.000 s",
// "99.500%", "910.000 ms"), with the report's fixed 3 decimals.
#pragma once
#include <string>

#include "mesh/core/time.h"

namespace meshproof::chaos {

std::string secondsText(TimeNs t);
std::string millisText(DurationNs d);
std::string percentText(double percent);
// "[20.000 s, 25.000 s]"
std::string closedWindowText(TimeNs from, TimeNs to);

}  // namespace meshproof::chaos
