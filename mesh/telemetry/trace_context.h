// W3C Trace Context (Level 1) `traceparent` header: parse, format, and make new ids
// from a seeded Rng. Value: "00-<32 hex trace-id>-<16 hex parent-id>-<2 hex flags>",
// lowercase hex only (HEXDIGLC), all-zero ids forbidden, version ff forbidden.
// Version 00 must be exactly 55 characters. A higher version is parsed the way the
// spec asks (at least 55 characters, the three known fields in place, and either the
// end or a dash after the flags) and is re-emitted as version 00.
// Header values are taken as given: surrounding whitespace is the HTTP layer's job.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mesh/core/hex_id.h"
#include "mesh/core/rng.h"

namespace meshproof::telemetry {

inline constexpr std::size_t kTraceparentLength = 55;
inline constexpr std::uint8_t kTraceFlagSampled = 0x01;

struct TraceId {
  std::uint64_t high = 0;  // first 16 hex digits
  std::uint64_t low = 0;   // last 16 hex digits
  bool valid() const { return high != 0 || low != 0; }
  friend bool operator==(const TraceId&, const TraceId&) = default;
};

struct SpanId {
  std::uint64_t value = 0;
  bool valid() const { return value != 0; }
  friend bool operator==(const SpanId&, const SpanId&) = default;
};

struct TraceContext {
  TraceId trace_id;
  SpanId parent_id;  // the span id of the caller's request (W3C "parent-id")
  std::uint8_t flags = 0;
  bool sampled() const { return (flags & kTraceFlagSampled) != 0; }
  friend bool operator==(const TraceContext&, const TraceContext&) = default;
};

// nullopt when the value is not a traceparent the spec lets us use.
std::optional<TraceContext> parseTraceparent(std::string_view value);
// "00-<trace-id>-<parent-id>-<flags>", 55 characters.
std::string formatTraceparent(const TraceContext& context);

// 32 / 16 lowercase hex digits, as RequestEvent::trace_id and span_id carry them.
TraceIdText toHex(const TraceId& id);
SpanIdText toHex(const SpanId& id);

// Random non-zero ids (drawn again in the 2^-64 case of zero).
TraceId newTraceId(Rng& rng);
SpanId newSpanId(Rng& rng);
// The root of a new trace.
TraceContext newTrace(Rng& rng, bool sampled);
// The context to send downstream from `parent`: same trace id, a new span id, and the
// sampled flag kept; other flags are cleared (the spec says vendors MUST set them to 0).
TraceContext childOf(const TraceContext& parent, Rng& rng);

}  // namespace meshproof::telemetry
