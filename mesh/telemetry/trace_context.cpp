// Implementation of W3C traceparent parsing, formatting and id generation.
#include "mesh/telemetry/trace_context.h"

namespace meshproof::telemetry {
namespace {

// Each byte's value as a lowercase hex digit, or -1 (uppercase is not HEXDIGLC): one
// load per digit where two range tests were (a traceparent has 50 digits, and every
// hop parses two).
struct HexValues {
  std::int8_t value[256];
  constexpr HexValues() : value() {
    for (int c = 0; c < 256; ++c) value[c] = -1;
    for (int c = '0'; c <= '9'; ++c) value[c] = static_cast<std::int8_t>(c - '0');
    for (int c = 'a'; c <= 'f'; ++c) value[c] = static_cast<std::int8_t>(c - 'a' + 10);
  }
};
constexpr HexValues kHexValues;

// Each byte as its two lowercase hex digits.
struct HexPairs {
  char text[256][2];
  constexpr HexPairs() : text() {
    constexpr char digits[] = "0123456789abcdef";
    for (int b = 0; b < 256; ++b) {
      text[b][0] = digits[b >> 4];
      text[b][1] = digits[b & 0xf];
    }
  }
};
constexpr HexPairs kHexPairs;

// Reads `digits` (<= 16) lowercase hex digits; false on any other character.
template <std::size_t kDigits>
bool readHex(std::string_view text, std::uint64_t& out) {
  static_assert(kDigits <= 16);
  if (text.size() < kDigits) return false;
  std::uint64_t value = 0;
  int bad = 0;  // any digit's -1 shows in its sign bit
  for (std::size_t i = 0; i < kDigits; ++i) {  // a fixed count: unrolled, no branch per digit
    const int d = kHexValues.value[static_cast<unsigned char>(text[i])];
    bad |= d;
    value = (value << 4) | static_cast<std::uint64_t>(d & 0xf);
  }
  if (bad < 0) return false;
  out = value;
  return true;
}

// `digits` (even, <= 16) lowercase hex digits of the low bits of `value`, two per byte.
void writeHex(std::uint64_t value, std::size_t digits, char* out) {
  for (std::size_t i = digits; i > 0; i -= 2) {
    const char* pair = kHexPairs.text[value & 0xff];
    out[i - 2] = pair[0];
    out[i - 1] = pair[1];
    value >>= 8;
  }
}

}  // namespace

std::optional<TraceContext> parseTraceparent(std::string_view value) {
  // Positions: version 0-1, '-' 2, trace-id 3-34, '-' 35, parent-id 36-51, '-' 52, flags 53-54.
  std::uint64_t version = 0;
  if (value.size() < kTraceparentLength || !readHex<2>(value, version) || version == 0xff) return std::nullopt;
  if (version == 0 && value.size() != kTraceparentLength) return std::nullopt;
  if (value.size() > kTraceparentLength && value[kTraceparentLength] != '-') return std::nullopt;
  if (value[2] != '-' || value[35] != '-' || value[52] != '-') return std::nullopt;

  TraceContext context;
  std::uint64_t flags = 0;
  if (!readHex<16>(value.substr(3), context.trace_id.high) || !readHex<16>(value.substr(19), context.trace_id.low) ||
      !readHex<16>(value.substr(36), context.parent_id.value) || !readHex<2>(value.substr(53), flags))
    return std::nullopt;
  if (!context.trace_id.valid() || !context.parent_id.valid()) return std::nullopt;
  context.flags = static_cast<std::uint8_t>(flags);
  if (version != 0) context.flags &= kTraceFlagSampled;  // only the sampled bit is known for other versions
  return context;
}

std::string formatTraceparent(const TraceContext& context) {
  std::string out(kTraceparentLength, '-');
  out[0] = '0';
  out[1] = '0';
  writeHex(context.trace_id.high, 16, &out[3]);
  writeHex(context.trace_id.low, 16, &out[19]);
  writeHex(context.parent_id.value, 16, &out[36]);
  writeHex(context.flags, 2, &out[53]);
  return out;
}

TraceIdText toHex(const TraceId& id) {
  char out[32];
  writeHex(id.high, 16, &out[0]);
  writeHex(id.low, 16, &out[16]);
  return TraceIdText(std::string_view(out, sizeof out));
}

SpanIdText toHex(const SpanId& id) {
  char out[16];
  writeHex(id.value, 16, &out[0]);
  return SpanIdText(std::string_view(out, sizeof out));
}

TraceId newTraceId(Rng& rng) {
  TraceId id;
  while (!id.valid()) {
    id.high = rng.next();
    id.low = rng.next();
  }
  return id;
}

SpanId newSpanId(Rng& rng) {
  SpanId id;
  while (!id.valid()) id.value = rng.next();
  return id;
}

TraceContext newTrace(Rng& rng, bool sampled) {
  TraceContext context;
  context.trace_id = newTraceId(rng);
  context.parent_id = newSpanId(rng);
  context.flags = sampled ? kTraceFlagSampled : 0;
  return context;
}

TraceContext childOf(const TraceContext& parent, Rng& rng) {
  TraceContext child;
  child.trace_id = parent.trace_id;
  child.parent_id = newSpanId(rng);
  child.flags = static_cast<std::uint8_t>(parent.flags & kTraceFlagSampled);
  return child;
}

}  // namespace meshproof::telemetry
