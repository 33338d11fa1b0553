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
//   run      scenario seed mode duration_s wall_epoch_s   (the first line)
//   endpoint instance service version zone state reason   (registered | healthy | unhealthy)
//   config   node version state cause reason [changes]   (published | applied | rejected;
//            changes: the scenario changes a published version first carries, when any)
//   cert     instance state spiffe_id serial expires_s peer reason
//            (issued | rotated | denied | rejected | expired)
//   canary   service stable canary iteration weight verdict success_rate latency_p99_ms
//            failed_checks reason                        (success_rate, latency: null without traffic)
//   verdict  name type passed observed reason at_s       (the last lines: one per expectation)
//
// Figures that are not times (success_rate) have kTraceFigureDecimals decimals.
#pragma once
#include <string>
#include <string_view>

#include "mesh/core/events.h"
#include "mesh/core/time.h"

namespace meshproof::chaos {

inline constexpr int kTraceSecondsDecimals = 9;  // t, start_s, duration_s
inline constexpr int kTraceMillisDecimals = 6;   // duration_ms
inline constexpr int kTraceFigureDecimals = 3;   // success_rate
inline constexpr double kTraceFigureScale = 1000.0;

// The `kind` of an event: request | client | breaker | ejection | audit | fault | run |
// endpoint | config | cert | canary | verdict.
std::string_view traceKindOf(const Event& event);

// Appends one line, '\n' included.
void appendTraceLine(std::string& out, TimeNs t, const Event& event);
std::string formatTraceLine(TimeNs t, const Event& event);

}  // namespace meshproof::chaos
