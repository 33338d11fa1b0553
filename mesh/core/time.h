// Time in the mesh core: integer nanoseconds, never floating-point seconds.
// TimeNs is a point on a monotonic clock; DurationNs a span. Drivers own the clock.
#pragma once
#include <cstdint>
#include <limits>

namespace meshproof {

using TimeNs = std::int64_t;
using DurationNs = std::int64_t;

inline constexpr DurationNs kNanosecond = 1;
inline constexpr DurationNs kMicrosecond = 1'000;
inline constexpr DurationNs kMillisecond = 1'000'000;
inline constexpr DurationNs kSecond = 1'000'000'000;
inline constexpr DurationNs kMinute = 60 * kSecond;
inline constexpr DurationNs kHour = 60 * kMinute;

// "No deadline": later than any time a run can reach.
inline constexpr TimeNs kNever = std::numeric_limits<TimeNs>::max();

constexpr double toSeconds(DurationNs d) { return static_cast<double>(d) / kSecond; }
constexpr double toMillis(DurationNs d) { return static_cast<double>(d) / kMillisecond; }

}  // namespace meshproof
