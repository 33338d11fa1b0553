// Implementation of Envoy default-format access-log lines.
#include "mesh/telemetry/access_log.h"

#include <charconv>

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

void appendNumber(std::string& out, std::int64_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out.append(buffer, result.ptr);
}

void appendUnsigned(std::string& out, std::uint64_t value) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out.append(buffer, result.ptr);
}

void appendPadded(std::string& out, std::int64_t value, int width) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  for (auto digits = result.ptr - buffer; digits < width; ++digits) out += '0';
  out.append(buffer, result.ptr);
}

void appendOrDash(std::string& out, std::string_view value) {
  if (value.empty())
    out += '-';
  else
    out += value;
}

void appendQuoted(std::string& out, std::string_view value) {
  out += '"';
  appendOrDash(out, value);
  out += '"';
}

void appendStartTime(std::string& out, TimeNs wall_ns) {
  const std::int64_t ms_since_epoch = floorDiv(wall_ns, kMillisecond);
  const std::int64_t ms_per_day = 86'400'000;
  const std::int64_t days = floorDiv(ms_since_epoch, ms_per_day);
  const std::int64_t ms_of_day = ms_since_epoch - days * ms_per_day;
  const CivilDate date = civilFromDays(days);
  appendPadded(out, date.year, 4);
  out += '-';
  appendPadded(out, date.month, 2);
  out += '-';
  appendPadded(out, date.day, 2);
  out += 'T';
  appendPadded(out, ms_of_day / 3'600'000, 2);
  out += ':';
  appendPadded(out, ms_of_day / 60'000 % 60, 2);
  out += ':';
  appendPadded(out, ms_of_day / 1000 % 60, 2);
  out += '.';
  appendPadded(out, ms_of_day % 1000, 3);
  out += 'Z';
}

}  // namespace

std::string formatStartTime(TimeNs wall_ns) {
  std::string out;
  appendStartTime(out, wall_ns);
  return out;
}

void appendAccessLogLine(std::string& out, const RequestEvent& event, TimeNs start_wall_ns,
                         const AccessLogExtras& extras) {
  out += '[';
  appendStartTime(out, start_wall_ns);
  out += "] \"";
  appendOrDash(out, event.method);
  out += ' ';
  appendOrDash(out, extras.original_path.empty() ? std::string_view(event.path) : extras.original_path);
  out += ' ';
  appendOrDash(out, extras.protocol);
  out += "\" ";
  appendNumber(out, event.status);
  out += ' ';
  out += responseFlagsToString(event.flags);
  out += ' ';
  appendUnsigned(out, extras.bytes_received);
  out += ' ';
  appendUnsigned(out, extras.bytes_sent);
  out += ' ';
  appendNumber(out, event.duration / kMillisecond);
  out += ' ';
  if (extras.upstream_service_time)
    appendNumber(out, *extras.upstream_service_time / kMillisecond);
  else
    out += '-';
  out += ' ';
  appendQuoted(out, extras.x_forwarded_for);
  out += ' ';
  appendQuoted(out, extras.user_agent);
  out += ' ';
  appendQuoted(out, extras.request_id);
  out += ' ';
  appendQuoted(out, extras.authority.empty() ? std::string_view(event.destination_service) : extras.authority);
  out += ' ';
  appendQuoted(out, event.destination_instance);
  out += '\n';
}

std::string formatAccessLogLine(const RequestEvent& event, TimeNs start_wall_ns, const AccessLogExtras& extras) {
  std::string out;
  appendAccessLogLine(out, event, start_wall_ns, extras);
  return out;
}

}  // namespace meshproof::telemetry
