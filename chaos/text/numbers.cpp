// Rounding and fixed-point text for report figures.
#include "chaos/text/numbers.h"

#include <charconv>
#include <cmath>

namespace meshproof::chaos {

double roundedTo(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  const double rounded = std::round(value * scale) / scale;
  return rounded == 0 ? 0.0 : rounded;  // no "-0.0"
}

std::string fixedText(double value, int decimals) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, roundedTo(value, decimals),
                                    std::chars_format::fixed, decimals);
  return std::string(buffer, result.ptr);
}

double reportSeconds(DurationNs d) { return roundedTo(toSeconds(d), 6); }
double reportMillis(DurationNs d) { return roundedTo(toMillis(d), kReportDecimals); }

}  // namespace meshproof::chaos
