// Serialises events into trace.jsonl lines, field by field in a fixed order.
#include "chaos/trace/trace_format.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "chaos/text/fixed_decimal.h"
#include "chaos/text/json_string.h"

namespace meshproof::chaos {
namespace {

// Writes `"name":value` pairs after the opening brace, separated by commas. The line
// is written through a pointer into `out`, grown ahead of each field by the most
// that field can take and cut to what was written at the end: one bounds check per
// field instead of one per appended piece (a line has some forty).
class LineBuilder {
 public:
  explicit LineBuilder(std::string& out) : out_(out) {
    const std::size_t start = out_.size();
    out_.resize(start + kChunk);
    at_ = out_.data() + start;
    *at_++ = '{';
  }
  template <std::size_t N>
  void text(const char (&name)[N], std::string_view value) {
    key(name, jsonStringBound(value));
    at_ = writeJsonString(at_, value);
  }
  template <std::size_t N>
  void integer(const char (&name)[N], long long value) {
    key(name, 24);
    at_ = std::to_chars(at_, at_ + 24, value).ptr;
  }
  template <std::size_t N>
  void boolean(const char (&name)[N], bool value) {
    key(name, 5);
    at_ = put(at_, value ? std::string_view("true") : std::string_view("false"));
  }
  template <std::size_t N>
  void seconds(const char (&name)[N], std::int64_t ns) {
    key(name, kScaledBound);
    at_ = writeScaled(at_, ns, kTraceSecondsDecimals);
  }
  template <std::size_t N>
  void millis(const char (&name)[N], std::int64_t ns) {
    key(name, kScaledBound);
    at_ = writeScaled(at_, ns, kTraceMillisDecimals);
  }
  template <std::size_t N>
  void unsignedInteger(const char (&name)[N], unsigned long long value) {
    key(name, 24);
    at_ = std::to_chars(at_, at_ + 24, value).ptr;
  }
  // A figure with kTraceFigureDecimals decimals (written exactly from its rounding).
  template <std::size_t N>
  void figure(const char (&name)[N], double value) {
    key(name, kScaledBound);
    at_ = writeScaled(at_, static_cast<std::int64_t>(std::llround(value * kTraceFigureScale)), kTraceFigureDecimals);
  }
  template <std::size_t N>
  void optionalFigure(const char (&name)[N], const std::optional<double>& value) {
    if (value) {
      figure(name, *value);
    } else {
      null(name);
    }
  }
  template <std::size_t N>
  void optionalMillis(const char (&name)[N], const std::optional<std::int64_t>& ns) {
    if (ns) {
      millis(name, *ns);
    } else {
      null(name);
    }
  }
  template <std::size_t N>
  void optionalSeconds(const char (&name)[N], const std::optional<std::int64_t>& ns) {
    if (ns) {
      seconds(name, *ns);
    } else {
      null(name);
    }
  }
  template <std::size_t N>
  void null(const char (&name)[N]) {
    key(name, 4);
    at_ = put(at_, "null");
  }
  template <std::size_t N>
  void textList(const char (&name)[N], const std::vector<std::string>& values) {
    key(name, 2);
    *at_++ = '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
      room(jsonStringBound(values[i]) + 2);
      if (i > 0) *at_++ = ',';
      at_ = writeJsonString(at_, values[i]);
    }
    *at_++ = ']';
  }
  void end() {
    room(2);
    *at_++ = '}';
    *at_++ = '\n';
    out_.resize(static_cast<std::size_t>(at_ - out_.data()));
  }

 private:
  static constexpr std::size_t kChunk = 512;

  static char* put(char* at, std::string_view text) {
    std::memcpy(at, text.data(), text.size());
    return at + text.size();
  }
  // Room for `n` more bytes at at_.
  void room(std::size_t n) {
    const auto used = static_cast<std::size_t>(at_ - out_.data());
    if (used + n <= out_.size()) return;
    out_.resize(std::max(out_.size() + kChunk, used + n + kChunk));
    at_ = out_.data() + used;
  }
  // The names are this file's literals, none of which needs escaping: written as they
  // are (what writeJsonString would write for them, without scanning them). Makes
  // room for the name and `value_bound` bytes of value.
  template <std::size_t N>
  void key(const char (&name)[N], std::size_t value_bound) {
    room(N + 3 + value_bound);
    if (!first_) *at_++ = ',';
    first_ = false;
    *at_++ = '"';
    std::memcpy(at_, name, N - 1);  // a literal's length: a few moves, no call
    at_ += N - 1;
    *at_++ = '"';
    *at_++ = ':';
  }
  std::string& out_;
  char* at_ = nullptr;
  bool first_ = true;
};

void writeFields(LineBuilder& line, const RequestEvent& e) {
  line.text("reporter", e.reporter);
  line.text("source", e.source);
  line.text("source_principal", e.source_principal);
  line.text("destination", e.destination_service);
  line.text("subset", e.destination_subset);
  line.text("instance", e.destination_instance);
  line.text("route", e.route);
  line.text("method", e.method);
  line.text("path", e.path);
  line.integer("status", e.status);
  line.text("flags", responseFlagsToString(e.flags));
  line.seconds("start_s", e.start);
  line.millis("duration_ms", e.duration);
  line.integer("attempts", e.attempts);
  line.boolean("mtls", e.mtls);
  line.boolean("shadow", e.shadow);
  line.text("trace_id", e.trace_id);
  line.text("span_id", e.span_id);
}

void writeFields(LineBuilder& line, const ClientRequestEvent& e) {
  line.text("workload", e.workload);
  line.text("service", e.target_service);
  line.text("method", e.method);
  line.text("path", e.path);
  line.integer("status", e.status);
  line.text("flags", responseFlagsToString(e.flags));
  line.seconds("start_s", e.start);
  line.millis("duration_ms", e.duration);
  line.boolean("lost", e.lost);
  line.text("trace_id", e.trace_id);
}

void writeFields(LineBuilder& line, const BreakerEvent& e) {
  line.text("service", e.service);
  line.text("threshold", e.threshold);
  line.boolean("open", e.open);
  if (!e.observer.empty()) line.text("observer", e.observer);
}

void writeFields(LineBuilder& line, const EjectionEvent& e) {
  line.text("service", e.service);
  line.text("instance", e.instance);
  line.boolean("ejected", e.ejected);
  line.text("reason", e.reason);
  line.integer("times_ejected", e.times_ejected);
  line.seconds("duration_s", e.duration);
  if (!e.observer.empty()) line.text("observer", e.observer);
}

void writeFields(LineBuilder& line, const AuditEvent& e) {
  line.text("policy", e.policy);
  line.text("service", e.service);
  line.text("principal", e.principal);
  line.text("method", e.method);
  line.text("path", e.path);
}

void writeFields(LineBuilder& line, const FaultEvent& e) {
  line.text("type", e.type);
  line.text("target", e.description);
  line.textList("instances", e.targets);
  line.text("state", e.started ? "start" : "stop");
}

void writeFields(LineBuilder& line, const RunEvent& e) {
  line.text("scenario", e.scenario);
  line.unsignedInteger("seed", e.seed);
  line.text("mode", e.mode);
  line.seconds("duration_s", e.duration);
  line.seconds("wall_epoch_s", e.wall_epoch);
}

void writeFields(LineBuilder& line, const EndpointEvent& e) {
  line.text("instance", e.instance);
  line.text("service", e.service);
  line.text("version", e.version);
  line.text("zone", e.zone);
  line.text("state", e.state);
  line.text("reason", e.reason);
}

void writeFields(LineBuilder& line, const ConfigEvent& e) {
  line.text("node", e.node);
  line.unsignedInteger("version", e.version);
  line.text("state", e.state);
  line.text("cause", e.cause);
  line.text("reason", e.reason);
  if (!e.changes.empty()) line.textList("changes", e.changes);
}

void writeFields(LineBuilder& line, const CertEvent& e) {
  line.text("instance", e.instance);
  line.text("state", e.state);
  line.text("spiffe_id", e.spiffe_id);
  line.text("serial", e.serial);
  line.seconds("expires_s", e.expires);
  line.text("peer", e.peer);
  line.text("reason", e.reason);
}

void writeFields(LineBuilder& line, const CanaryEvent& e) {
  line.text("service", e.service);
  line.text("stable", e.stable);
  line.text("canary", e.canary);
  line.integer("iteration", e.iteration);
  line.integer("weight", e.weight);
  line.text("verdict", e.verdict);
  line.optionalFigure("success_rate", e.success_rate);
  line.optionalMillis("latency_p99_ms", e.latency_p99);
  line.integer("failed_checks", e.failed_checks);
  line.text("reason", e.reason);
}

void writeFields(LineBuilder& line, const VerdictEvent& e) {
  line.text("name", e.name);
  line.text("type", e.type);
  line.boolean("passed", e.passed);
  line.text("observed", e.observed);
  line.text("reason", e.reason);
  line.optionalSeconds("at_s", e.decided_at);
}

}  // namespace

std::string_view traceKindOf(const Event& event) {
  return std::visit(
      [](const auto& e) -> std::string_view {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, RequestEvent>) return "request";
        else if constexpr (std::is_same_v<T, ClientRequestEvent>) return "client";
        else if constexpr (std::is_same_v<T, BreakerEvent>) return "breaker";
        else if constexpr (std::is_same_v<T, EjectionEvent>) return "ejection";
        else if constexpr (std::is_same_v<T, AuditEvent>) return "audit";
        else if constexpr (std::is_same_v<T, FaultEvent>) return "fault";
        else if constexpr (std::is_same_v<T, RunEvent>) return "run";
        else if constexpr (std::is_same_v<T, EndpointEvent>) return "endpoint";
        else if constexpr (std::is_same_v<T, ConfigEvent>) return "config";
        else if constexpr (std::is_same_v<T, CertEvent>) return "cert";
        else if constexpr (std::is_same_v<T, CanaryEvent>) return "canary";
        else return "verdict";
      },
      event);
}

void appendTraceLine(std::string& out, TimeNs t, const Event& event) {
  LineBuilder line(out);
  line.seconds("t", t);
  line.text("kind", traceKindOf(event));
  std::visit([&](const auto& e) { writeFields(line, e); }, event);
  line.end();
}

std::string formatTraceLine(TimeNs t, const Event& event) {
  std::string out;
  appendTraceLine(out, t, event);
  return out;
}

}  // namespace meshproof::chaos
