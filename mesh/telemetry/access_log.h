// Access-log lines in Envoy's default format:
//
//   [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%"
//   %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION%
//   %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%"
//   "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"\n
//
// (one line; Envoy docs, "Default Format String"). START_TIME is UTC with
// milliseconds (2016-04-15T20:17:00.310Z); DURATION and the upstream service time are
// whole milliseconds, truncated; an empty value prints "-". The start time is the
// wall-clock time the caller passes in: nothing here reads a clock.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mesh/core/events.h"
#include "mesh/core/time.h"

namespace meshproof::telemetry {

// What the default format prints but a RequestEvent does not carry.
struct AccessLogExtras {
  std::string_view protocol = "HTTP/1.1";
  std::uint64_t bytes_received = 0;
  std::uint64_t bytes_sent = 0;
  std::optional<DurationNs> upstream_service_time;  // x-envoy-upstream-service-time; "-" when absent
  std::string_view original_path;    // x-envoy-original-path; the event's path when empty
  std::string_view x_forwarded_for;
  std::string_view user_agent;
  std::string_view request_id;       // x-request-id
  std::string_view authority;        // :authority; the event's destination_service when empty
};

// "2016-04-15T20:17:00.310Z" for a wall-clock time in nanoseconds since the Unix
// epoch (UTC, proleptic Gregorian, milliseconds truncated; negative times allowed).
std::string formatStartTime(TimeNs wall_ns);

// Appends one line, newline included, to `out` (reuse `out` to avoid allocating).
// The upstream host is the event's destination_instance ("-" when answered locally).
void appendAccessLogLine(std::string& out, const RequestEvent& event, TimeNs start_wall_ns,
                         const AccessLogExtras& extras = {});
std::string formatAccessLogLine(const RequestEvent& event, TimeNs start_wall_ns,
                                const AccessLogExtras& extras = {});

}  // namespace meshproof::telemetry
