// Units in configuration text: durations ("250ms", "1.5s", "1h30m") to integer
// nanoseconds and bandwidths ("10Gbps", "500kbps") to bits per second. Both parse
// decimal digits exactly (no floating point), so "1.5s" is 1'500'000'000 ns.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "mesh/config/value_error.h"
#include "mesh/core/time.h"

namespace meshproof::config {

// One or more <decimal><unit> terms, units ns, us, ms, s, m, h ("2s", "1.5s",
// "100us", "1h30m"). A bare number, a negative value, an unknown unit, a value finer
// than 1ns or beyond the int64 range throws ValueError.
DurationNs parseDuration(std::string_view text);

// "<decimal><unit>" with unit bps, kbps (or Kbps), Mbps, Gbps, Tbps (decimal
// prefixes: 1kbps = 1000 bits per second). Throws ValueError like parseDuration.
std::int64_t parseBandwidthBps(std::string_view text);

// The shortest exact spelling of a duration in the largest fitting unit ("1.5s",
// "250ms", "24h", "0s"); for messages.
std::string formatDuration(DurationNs duration);

}  // namespace meshproof::config
