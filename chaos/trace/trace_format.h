// The trace.jsonl line format: one flat JSON object per event, `t` then `kind` then
// the event's fields in a fixed order. Every time and duration is written exactly
// from integer nanoseconds (t, start_s, duration_s: seconds with 9 decimals;
// duration_ms: milliseconds with 6 decimals), so parsing a line gives back the
// very event that was written. Response flags are Envoy's text ("UO,URX", "-").
//
//   request  reporter source source_principal destination subset instance route method
//            path status flags start_s duration_ms attempts mtls shadow trace_id span_id
//   client   workload service method path status flags start_s duration_ms lost trace_id
//   breaker  service threshold open
//   ejection service instance ejected reason times_ejected duration_s
//   audit    policy service principal method path
//   fault    type target instances state            (state: start | stop)
#pragma once
#include <string>
#include <string_view>

#include "mesh/core/events.h"
#include "mesh/core/time.h"

namespace meshproof::chaos {

inline constexpr int kTraceSecondsDecimals = 9;  // t, start_s, duration_s
inline constexpr int kTraceMillisDecimals = 6;   // duration_ms

// The `kind` of an event: request | client | breaker | ejection | audit | fault.
std::string_view traceKindOf(const Event& event);

// Appends one line, '\n' included.
void appendTraceLine(std::string& out, TimeNs t, const Event& event);
std::string formatTraceLine(TimeNs t, const Event& event);

}  // namespace meshproof::chaos
