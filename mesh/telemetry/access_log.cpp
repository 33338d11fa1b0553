// Implementation of Envoy default-format access-log lines.
#include "mesh/telemetry/access_log.h"

#include <charconv>
#include <cstring>

#include "mesh/core/http.h"

namespace meshproof::telemetry {
namespace {

struct CivilDate {
  std::int64_t year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};

// Days since 1970-01-01 to a Gregorian date (H. Hinnant's civil_from_days).
CivilDate civilFromDays(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<std::uint64_t>(days - era * 146097);
  const std::uint64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::uint64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::uint64_t shifted_month = (5 * day_of_year + 2) / 153;
  const auto day = static_cast<unsigned>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  const auto month = static_cast<unsigned>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  const std::int64_t year = static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month, day};
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

// Writes through a pointer into room the caller made (appendAccessLogLine makes room
// for the longest line its fields can give, then cuts to what was written).
struct Writer {
  char* at;
  void ch(char c) { *at++ = c; }
  void text(std::string_view value) {
    std::memcpy(at, value.data(), value.size());
    at += value.size();
  }
  void orDash(std::string_view value) {
    if (value.empty()) {
      ch('-');
    } else {
      text(value);
    }
  }
  void quoted(std::string_view value) {
    ch('"');
    orDash(value);
    ch('"');
  }
  template <typename Integer>
  void number(Integer value) {
    at = std::to_chars(at, at + 24, value).ptr;
  }
  void padded(std::int64_t value, int width) {
    char digits[24];
    char* end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    for (auto n = end - digits; n < width; ++n) ch('0');
    text(std::string_view(digits, static_cast<std::size_t>(end - digits)));
  }
};

// At most 24 bytes for each of the twelve numbers of a start time and a line.
constexpr std::size_t kNumbersBound = 12 * 24;

void writeStartTime(Writer& out, TimeNs wall_ns) {
  const std::int64_t ms_since_epoch = floorDiv(wall_ns, kMillisecond);
  const std::int64_t ms_per_day = 86'400'000;
  const std::int64_t days = floorDiv(ms_since_epoch, ms_per_day);
  const std::int64_t ms_of_day = ms_since_epoch - days * ms_per_day;
  const CivilDate date = civilFromDays(days);
  out.padded(date.year, 4);
  out.ch('-');
  out.padded(date.month, 2);
  out.ch('-');
  out.padded(date.day, 2);
  out.ch('T');
  out.padded(ms_of_day / 3'600'000, 2);
  out.ch(':');
  out.padded(ms_of_day / 60'000 % 60, 2);
  out.ch(':');
  out.padded(ms_of_day / 1000 % 60, 2);
  out.ch('.');
  out.padded(ms_of_day % 1000, 3);
  out.ch('Z');
}

}  // namespace

std::string formatStartTime(TimeNs wall_ns) {
  char text[kNumbersBound];
  Writer out{text};
  writeStartTime(out, wall_ns);
  return std::string(text, out.at);
}

void appendAccessLogLine(std::string& out, const RequestEvent& event, TimeNs start_wall_ns,
                         const AccessLogExtras& extras) {
  const std::string_view path = extras.original_path.empty() ? std::string_view(event.path) : extras.original_path;
  const std::string_view authority =
      extras.authority.empty() ? std::string_view(event.destination_service) : extras.authority;
  const std::string flags = responseFlagsToString(event.flags);
  const std::size_t bound = kNumbersBound + 64 + event.method.size() + path.size() + extras.protocol.size() +
                            flags.size() + extras.x_forwarded_for.size() + extras.user_agent.size() +
                            extras.request_id.size() + authority.size() + event.destination_instance.size();
  const std::size_t start = out.size();
  out.resize(start + bound);
  Writer line{out.data() + start};
  line.ch('[');
  writeStartTime(line, start_wall_ns);
  line.text("] \"");
  line.orDash(event.method);
  line.ch(' ');
  line.orDash(path);
  line.ch(' ');
  line.orDash(extras.protocol);
  line.text("\" ");
  line.number(event.status);
  line.ch(' ');
  line.text(flags);
  line.ch(' ');
  line.number(extras.bytes_received);
  line.ch(' ');
  line.number(extras.bytes_sent);
  line.ch(' ');
  line.number(event.duration / kMillisecond);
  line.ch(' ');
  if (extras.upstream_service_time) {
    line.number(*extras.upstream_service_time / kMillisecond);
  } else {
    line.ch('-');
  }
  line.ch(' ');
  line.quoted(extras.x_forwarded_for);
  line.ch(' ');
  line.quoted(extras.user_agent);
  line.ch(' ');
  line.quoted(extras.request_id);
  line.ch(' ');
  line.quoted(authority);
  line.ch(' ');
  line.quoted(event.destination_instance);
  line.ch('\n');
  out.resize(static_cast<std::size_t>(line.at - out.data()));
}

std::string formatAccessLogLine(const RequestEvent& event, TimeNs start_wall_ns, const AccessLogExtras& extras) {
  std::string out;
  appendAccessLogLine(out, event, start_wall_ns, extras);
  return out;
}

}  // namespace meshproof::telemetry
