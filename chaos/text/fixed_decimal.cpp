// Exact decimal formatting and parsing of scaled integers.
#include "chaos/text/fixed_decimal.h"

#include <charconv>
#include <cstring>
#include <limits>

namespace meshproof::chaos {
namespace {

std::uint64_t powerOfTen(int digits) {
  std::uint64_t p = 1;
  for (int i = 0; i < digits; ++i) p *= 10;
  return p;
}

}  // namespace

char* writeScaled(char* at, std::int64_t value, int scale_digits) {
  const bool negative = value < 0;
  // Magnitude in unsigned arithmetic so that INT64_MIN is representable.
  const std::uint64_t magnitude =
      negative ? ~static_cast<std::uint64_t>(value) + 1 : static_cast<std::uint64_t>(value);
  const std::uint64_t unit = powerOfTen(scale_digits);
  if (negative) *at++ = '-';
  at = std::to_chars(at, at + 24, magnitude / unit).ptr;
  if (scale_digits == 0) return at;
  *at++ = '.';
  char fraction[24];
  char* end = std::to_chars(fraction, fraction + sizeof fraction, magnitude % unit).ptr;
  const auto digits = static_cast<std::size_t>(end - fraction);
  for (std::size_t pad = digits; pad < static_cast<std::size_t>(scale_digits); ++pad) *at++ = '0';
  std::memcpy(at, fraction, digits);
  return at + digits;
}

void appendScaled(std::string& out, std::int64_t value, int scale_digits) {
  const std::size_t at = out.size();
  out.resize(at + kScaledBound);
  out.resize(static_cast<std::size_t>(writeScaled(out.data() + at, value, scale_digits) - out.data()));
}

std::string formatScaled(std::int64_t value, int scale_digits) {
  std::string out;
  appendScaled(out, value, scale_digits);
  return out;
}

std::optional<std::int64_t> parseScaled(std::string_view text, int scale_digits) {
  std::size_t pos = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) ++pos;
  std::uint64_t magnitude = 0;
  int integer_digits = 0;
  int fraction_digits = 0;
  bool in_fraction = false;
  constexpr std::uint64_t kLimit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '.' && !in_fraction && integer_digits > 0) {
      in_fraction = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (in_fraction && ++fraction_digits > scale_digits) return std::nullopt;
    if (!in_fraction) ++integer_digits;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (magnitude > (kLimit - digit) / 10) return std::nullopt;
    magnitude = magnitude * 10 + digit;
  }
  if (integer_digits == 0 || (in_fraction && fraction_digits == 0)) return std::nullopt;
  const std::uint64_t pad = powerOfTen(scale_digits - fraction_digits);
  if (magnitude > kLimit / pad) return std::nullopt;
  magnitude *= pad;
  const auto signed_value = static_cast<std::int64_t>(magnitude);
  return negative ? -signed_value : signed_value;
}

}  // namespace meshproof::chaos
