// Exact decimal parsing of durations and bandwidths: digits are accumulated as
// integers and scaled by the unit in 128-bit arithmetic, so no value goes through
// floating point.
#include "mesh/config/units.h"

#include <array>
#include <limits>
#include <optional>
#include <utility>

namespace meshproof::config {
namespace {

__extension__ typedef unsigned __int128 Wide;

constexpr int kMaxFractionDigits = 18;
constexpr std::uint64_t kInt64Max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

struct Unit {
  std::string_view name;
  std::uint64_t scale;
};

constexpr std::array<Unit, 6> kDurationUnits{{{"ns", 1},
                                              {"us", 1'000},
                                              {"ms", 1'000'000},
                                              {"s", 1'000'000'000},
                                              {"m", 60'000'000'000},
                                              {"h", 3'600'000'000'000}}};

constexpr std::array<Unit, 6> kBandwidthUnits{{{"bps", 1},
                                               {"kbps", 1'000},
                                               {"Kbps", 1'000},
                                               {"Mbps", 1'000'000},
                                               {"Gbps", 1'000'000'000},
                                               {"Tbps", 1'000'000'000'000}}};

bool isDigit(char c) { return c >= '0' && c <= '9'; }

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

// One "<decimal><unit>" term read from the front of `rest`.
struct Term {
  std::string_view integer_digits;
  std::string_view fraction_digits;
  std::string_view unit;
};

std::optional<Term> readTerm(std::string_view& rest) {
  Term term;
  std::size_t i = 0;
  while (i < rest.size() && isDigit(rest[i])) ++i;
  term.integer_digits = rest.substr(0, i);
  if (i < rest.size() && rest[i] == '.') {
    const std::size_t start = ++i;
    while (i < rest.size() && isDigit(rest[i])) ++i;
    term.fraction_digits = rest.substr(start, i - start);
  }
  if (term.integer_digits.empty() && term.fraction_digits.empty()) return std::nullopt;
  const std::size_t unit_start = i;
  while (i < rest.size() && !isDigit(rest[i]) && rest[i] != '.') ++i;
  term.unit = rest.substr(unit_start, i - unit_start);
  rest.remove_prefix(i);
  return term;
}

// integer.fraction * scale, exactly; nullopt when it is not a whole number of the
// base unit. Throws on overflow.
std::optional<std::uint64_t> scaleTerm(const Term& term, std::uint64_t scale, std::string_view text) {
  std::string_view fraction = term.fraction_digits;
  while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  if (fraction.size() > kMaxFractionDigits) return std::nullopt;
  Wide integer = 0;
  for (char c : term.integer_digits) {
    integer = integer * 10 + static_cast<unsigned>(c - '0');
    if (integer > kInt64Max) throw ValueError(quoted(text) + " is too large");
  }
  Wide numerator = 0, denominator = 1;
  for (char c : fraction) {
    numerator = numerator * 10 + static_cast<unsigned>(c - '0');
    denominator *= 10;
  }
  const Wide whole = integer * scale;
  const Wide scaled_fraction = numerator * scale;
  if (scaled_fraction % denominator != 0) return std::nullopt;
  const Wide total = whole + scaled_fraction / denominator;
  if (total > kInt64Max) throw ValueError(quoted(text) + " is too large");
  return static_cast<std::uint64_t>(total);
}

template <std::size_t N>
std::optional<std::uint64_t> unitScale(const std::array<Unit, N>& units, std::string_view name) {
  for (const auto& unit : units)
    if (unit.name == name) return unit.scale;
  return std::nullopt;
}

bool isBareNumber(std::string_view text) {
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) text.remove_prefix(1);
  bool digits = false, dot = false;
  for (char c : text) {
    if (isDigit(c)) digits = true;
    else if (c == '.' && !dot) dot = true;
    else return false;
  }
  return digits;
}

}  // namespace

DurationNs parseDuration(std::string_view text) {
  const std::string hint = " (use e.g. 10s, 250ms)";
  if (isBareNumber(text)) throw ValueError(quoted(text) + " has no unit" + hint);
  if (!text.empty() && text[0] == '-') throw ValueError(quoted(text) + " is negative");
  std::string_view rest = text;
  if (rest.empty()) throw ValueError("\"\" is not a duration" + hint);
  std::uint64_t total = 0;
  while (!rest.empty()) {
    const auto term = readTerm(rest);
    if (!term) throw ValueError(quoted(text) + " is not a duration" + hint);
    if (term->unit.empty()) throw ValueError(quoted(text) + " has no unit" + hint);
    const auto scale = unitScale(kDurationUnits, term->unit);
    if (!scale)
      throw ValueError(quoted(text) + " has an unknown unit " + quoted(term->unit) + " (use ns, us, ms, s, m, h)");
    const auto value = scaleTerm(*term, *scale, text);
    if (!value) throw ValueError(quoted(text) + " is finer than 1ns");
    if (*value > kInt64Max - total) throw ValueError(quoted(text) + " is too large");
    total += *value;
  }
  return static_cast<DurationNs>(total);
}

std::int64_t parseBandwidthBps(std::string_view text) {
  const std::string hint = " (use e.g. 10Gbps, 500kbps)";
  if (isBareNumber(text)) throw ValueError(quoted(text) + " has no unit" + hint);
  if (!text.empty() && text[0] == '-') throw ValueError(quoted(text) + " is negative");
  std::string_view rest = text;
  const auto term = readTerm(rest);
  if (!term || !rest.empty()) throw ValueError(quoted(text) + " is not a bandwidth" + hint);
  if (term->unit.empty()) throw ValueError(quoted(text) + " has no unit" + hint);
  const auto scale = unitScale(kBandwidthUnits, term->unit);
  if (!scale)
    throw ValueError(quoted(text) + " has an unknown unit " + quoted(term->unit) + " (use bps, kbps, Mbps, Gbps, Tbps)");
  const auto value = scaleTerm(*term, *scale, text);
  if (!value) throw ValueError(quoted(text) + " is finer than 1bps");
  return static_cast<std::int64_t>(*value);
}

std::string formatDuration(DurationNs duration) {
  if (duration == 0) return "0s";
  std::string sign;
  std::uint64_t magnitude = static_cast<std::uint64_t>(duration);
  if (duration < 0) {
    sign = "-";
    magnitude = 0 - magnitude;
  }
  for (auto it = kDurationUnits.rbegin(); it != kDurationUnits.rend(); ++it) {
    const std::uint64_t scale = it->scale;
    if (magnitude < scale) continue;
    const std::uint64_t whole = magnitude / scale, remainder = magnitude % scale;
    const bool decimal_unit = scale == 1'000'000'000 || scale == 1'000'000 || scale == 1'000;
    if (remainder != 0 && !decimal_unit) continue;
    std::string out = sign + std::to_string(whole);
    if (remainder != 0) {
      std::string fraction = std::to_string(remainder);
      std::size_t width = 0;
      for (std::uint64_t s = scale; s > 1; s /= 10) ++width;
      fraction.insert(0, width - fraction.size(), '0');
      while (fraction.back() == '0') fraction.pop_back();
      out += "." + fraction;
    }
    return out + std::string(it->name);
  }
  return sign + std::to_string(magnitude) + "ns";
}

}  // namespace meshproof::config
