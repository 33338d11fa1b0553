// Exact decimal text for integer quantities: a count of 10^-scale units printed with
// exactly `scale_digits` decimals ("20.000000000" for 20 s in nanoseconds at scale 9)
// and parsed back without ever passing through a double, so a trace round-trips
// bit for bit.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace meshproof::chaos {

// Appends value / 10^scale_digits with exactly scale_digits decimals (no point when 0).
void appendScaled(std::string& out, std::int64_t value, int scale_digits);
// The same text written at `at` (room for kScaledBound bytes; scale_digits <= 18);
// returns its end.
inline constexpr std::size_t kScaledBound = 48;
char* writeScaled(char* at, std::int64_t value, int scale_digits);
std::string formatScaled(std::int64_t value, int scale_digits);

// Parses "[-]digits[.digits]" with at most scale_digits decimals (fewer are padded
// with zeros) into value · 10^scale_digits. nullopt on any other text or on overflow.
std::optional<std::int64_t> parseScaled(std::string_view text, int scale_digits);

}  // namespace meshproof::chaos
