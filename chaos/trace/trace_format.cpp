// Serialises events into trace.jsonl lines, field by field in a fixed order.
#include "chaos/trace/trace_format.h"

#include <charconv>
#include <cmath>
#include <type_traits>

#include "chaos/text/fixed_decimal.h"
#include "chaos/text/json_string.h"

namespace meshproof::chaos {
namespace {

// Writes `"name":value` pairs after the opening brace, separated by commas.
class LineBuilder {
 public:
  explicit LineBuilder(std::string& out) : out_(out) { out_ += '{'; }
  void text(std::string_view name, std::string_view value) {
    key(name);
    appendJsonString(out_, value);
  }
  void integer(std::string_view name, long long value) {
    key(name);
    appendDecimal(value);
  }
  void boolean(std::string_view name, bool value) {
    key(name);
    out_ += value ? "true" : "false";
  }
  void seconds(std::string_view name, std::int64_t ns) {
    key(name);
    appendScaled(out_, ns, kTraceSecondsDecimals);
  }
  void millis(std::string_view name, std::int64_t ns) {
    key(name);
    appendScaled(out_, ns, kTraceMillisDecimals);
  }
  void unsignedInteger(std::string_view name, unsigned long long value) {
    key(name);
    appendDecimal(value);
  }
  // A figure with kTraceFigureDecimals decimals (written exactly from its rounding).
  void figure(std::string_view name, double value) {
    key(name);
    appendScaled(out_, static_cast<std::int64_t>(std::llround(value * kTraceFigureScale)), kTraceFigureDecimals);
  }
  void optionalFigure(std::string_view name, const std::optional<double>& value) {
    if (value) {
      figure(name, *value);
    } else {
      null(name);
    }
  }
  void optionalMillis(std::string_view name, const std::optional<std::int64_t>& ns) {
    if (ns) {
      millis(name, *ns);
    } else {
      null(name);
    }
  }
  void optionalSeconds(std::string_view name, const std::optional<std::int64_t>& ns) {
    if (ns) {
      seconds(name, *ns);
    } else {
      null(name);
    }
  }
  void null(std::string_view name) {
    key(name);
    out_ += "null";
  }
  void textList(std::string_view name, const std::vector<std::string>& values) {
    key(name);
    out_ += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out_ += ',';
      appendJsonString(out_, values[i]);
    }
    out_ += ']';
  }
  void end() { out_ += "}\n"; }

 private:
  // The names are this file's literals, none of which needs escaping: written as they
  // are (what appendJsonString would write for them, without scanning them).
  void key(std::string_view name) {
    if (!first_) out_.push_back(',');
    first_ = false;
    out_.push_back('"');
    out_.append(name.data(), name.size());
    out_.append("\":", 2);
  }
  template <typename Integer>
  void appendDecimal(Integer value) {
    char digits[24];
    out_.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
  }
  std::string& out_;
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
