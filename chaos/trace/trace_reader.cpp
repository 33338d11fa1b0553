// Parses trace lines with nlohmann's SAX interface, which hands over the text of
// every number, so that decimals are converted to nanoseconds without rounding.
#include "chaos/trace/trace_reader.h"

#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>

#include "chaos/text/fixed_decimal.h"
#include "chaos/trace/trace_format.h"

namespace meshproof::chaos {
namespace {

using Json = nlohmann::json;

struct FieldValue {
  enum class Type { kNull, kBool, kNumber, kString, kStringList } type = Type::kNull;
  bool flag = false;
  std::string text;  // a number's text or a string
  std::vector<std::string> list;
};

// Collects the fields of one flat object; values are scalars or lists of strings.
class FlatObjectReader final : public nlohmann::json_sax<Json> {
 public:
  std::map<std::string, FieldValue, std::less<>> fields;
  std::string error;

  bool null() override { return scalar(FieldValue{}); }
  bool boolean(bool value) override {
    FieldValue v;
    v.type = FieldValue::Type::kBool;
    v.flag = value;
    return scalar(std::move(v));
  }
  bool number_integer(number_integer_t value) override { return number(std::to_string(value)); }
  bool number_unsigned(number_unsigned_t value) override { return number(std::to_string(value)); }
  bool number_float(number_float_t, const string_t& text) override { return number(text); }
  bool string(string_t& value) override {
    if (in_array_) {
      fields[key_].list.push_back(value);
      return true;
    }
    FieldValue v;
    v.type = FieldValue::Type::kString;
    v.text = value;
    return scalar(std::move(v));
  }
  bool binary(binary_t&) override { return fail("binary values are not allowed"); }
  bool start_object(std::size_t) override {
    if (depth_ != 0) return fail("field \"" + key_ + "\": nested objects are not allowed");
    ++depth_;
    return true;
  }
  bool key(string_t& name) override {
    key_ = name;
    return true;
  }
  bool end_object() override {
    --depth_;
    done_ = true;
    return true;
  }
  bool start_array(std::size_t) override {
    if (depth_ != 1) return fail("a trace line is one JSON object");
    if (in_array_) return fail("field \"" + key_ + "\": lists hold strings only");
    in_array_ = true;
    fields[key_].type = FieldValue::Type::kStringList;
    return true;
  }
  bool end_array() override {
    in_array_ = false;
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
    return fail("not JSON at byte " + std::to_string(position) + ": " + e.what());
  }
  bool sawObject() const { return done_; }

 private:
  bool number(const std::string& text) {
    FieldValue v;
    v.type = FieldValue::Type::kNumber;
    v.text = text;
    return scalar(std::move(v));
  }
  bool scalar(FieldValue value) {
    if (depth_ != 1) return fail("a trace line is one JSON object");
    if (in_array_) return fail("field \"" + key_ + "\": lists hold strings only");
    fields[key_] = std::move(value);
    return true;
  }
  bool fail(std::string message) {
    if (error.empty()) error = std::move(message);
    return false;
  }
  int depth_ = 0;
  bool in_array_ = false;
  bool done_ = false;
  std::string key_;
};

// Typed access to the fields of one line; every getter throws when the field is
// missing or of another type.
class Fields {
 public:
  explicit Fields(const FlatObjectReader& reader) : fields_(reader.fields) {}

  std::string text(std::string_view name) const { return get(name, FieldValue::Type::kString).text; }
  // An optional text field: empty when absent.
  std::string optionalText(std::string_view name) const {
    return fields_.count(std::string(name)) ? text(name) : std::string();
  }
  // A trace or span ID: text of at most its type's length.
  template <class Id>
  Id hexId(std::string_view name) const {
    const std::string& value = get(name, FieldValue::Type::kString).text;
    if (value.size() > Id::kMaxSize) bad(name, "is longer than " + std::to_string(Id::kMaxSize) + " characters");
    return Id(value);
  }
  bool boolean(std::string_view name) const { return get(name, FieldValue::Type::kBool).flag; }
  std::vector<std::string> textList(std::string_view name) const {
    return get(name, FieldValue::Type::kStringList).list;
  }
  int integer(std::string_view name) const {
    const auto value = parseScaled(get(name, FieldValue::Type::kNumber).text, 0);
    if (!value || *value < INT32_MIN || *value > INT32_MAX) bad(name, "is not an integer");
    return static_cast<int>(*value);
  }
  // A decimal number of seconds (scale 9) or milliseconds (scale 6) into nanoseconds.
  std::int64_t nanos(std::string_view name, int scale_digits) const {
    const auto value = parseScaled(get(name, FieldValue::Type::kNumber).text, scale_digits);
    if (!value) bad(name, "is not a decimal with at most " + std::to_string(scale_digits) + " decimals");
    return *value;
  }
  std::uint64_t unsignedInteger(std::string_view name) const {
    const std::string& text = get(name, FieldValue::Type::kNumber).text;
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 20)
      bad(name, "is not an unsigned integer");
    try {
      return std::stoull(text);
    } catch (const std::exception&) {
      bad(name, "is not an unsigned integer");
    }
  }
  bool has(std::string_view name) const { return fields_.find(name) != fields_.end(); }
  bool isNull(std::string_view name) const {
    const auto it = fields_.find(name);
    if (it == fields_.end()) throw TraceFormatError(0, "missing field \"" + std::string(name) + "\"");
    return it->second.type == FieldValue::Type::kNull;
  }
  std::optional<std::int64_t> optionalNanos(std::string_view name, int scale_digits) const {
    if (isNull(name)) return std::nullopt;
    return nanos(name, scale_digits);
  }
  std::optional<double> optionalFigure(std::string_view name) const {
    if (isNull(name)) return std::nullopt;
    return static_cast<double>(nanos(name, kTraceFigureDecimals)) / kTraceFigureScale;
  }
  ResponseFlags flags(std::string_view name) const {
    const std::string value = text(name);
    const auto flags = parseResponseFlags(value);
    if (!flags) bad(name, "\"" + value + "\" holds an unknown response flag");
    return *flags;
  }

 private:
  const FieldValue& get(std::string_view name, FieldValue::Type type) const {
    const auto it = fields_.find(name);
    if (it == fields_.end()) throw TraceFormatError(0, "missing field \"" + std::string(name) + "\"");
    if (it->second.type != type) bad(name, "has the wrong type");
    return it->second;
  }
  [[noreturn]] static void bad(std::string_view name, const std::string& what) {
    throw TraceFormatError(0, "field \"" + std::string(name) + "\" " + what);
  }
  const std::map<std::string, FieldValue, std::less<>>& fields_;
};

RequestEvent requestOf(const Fields& f) {
  RequestEvent e;
  e.reporter = f.text("reporter");
  e.source = f.text("source");
  e.source_principal = f.text("source_principal");
  e.destination_service = f.text("destination");
  e.destination_subset = f.text("subset");
  e.destination_instance = f.text("instance");
  e.route = f.text("route");
  e.method = f.text("method");
  e.path = f.text("path");
  e.status = f.integer("status");
  e.flags = f.flags("flags");
  e.start = f.nanos("start_s", kTraceSecondsDecimals);
  e.duration = f.nanos("duration_ms", kTraceMillisDecimals);
  e.attempts = f.integer("attempts");
  e.mtls = f.boolean("mtls");
  e.shadow = f.boolean("shadow");
  e.trace_id = f.hexId<TraceIdText>("trace_id");
  e.span_id = f.hexId<SpanIdText>("span_id");
  return e;
}

ClientRequestEvent clientOf(const Fields& f) {
  ClientRequestEvent e;
  e.workload = f.text("workload");
  e.target_service = f.text("service");
  e.method = f.text("method");
  e.path = f.text("path");
  e.status = f.integer("status");
  e.flags = f.flags("flags");
  e.start = f.nanos("start_s", kTraceSecondsDecimals);
  e.duration = f.nanos("duration_ms", kTraceMillisDecimals);
  e.lost = f.boolean("lost");
  e.trace_id = f.hexId<TraceIdText>("trace_id");
  return e;
}

BreakerEvent breakerOf(const Fields& f) {
  BreakerEvent e;
  e.observer = f.optionalText("observer");
  e.service = f.text("service");
  e.threshold = f.text("threshold");
  e.open = f.boolean("open");
  return e;
}

EjectionEvent ejectionOf(const Fields& f) {
  EjectionEvent e;
  e.observer = f.optionalText("observer");
  e.service = f.text("service");
  e.instance = f.text("instance");
  e.ejected = f.boolean("ejected");
  e.reason = f.text("reason");
  e.times_ejected = f.integer("times_ejected");
  e.duration = f.nanos("duration_s", kTraceSecondsDecimals);
  return e;
}

AuditEvent auditOf(const Fields& f) {
  AuditEvent e;
  e.policy = f.text("policy");
  e.service = f.text("service");
  e.principal = f.text("principal");
  e.method = f.text("method");
  e.path = f.text("path");
  return e;
}

FaultEvent faultOf(const Fields& f) {
  FaultEvent e;
  e.type = f.text("type");
  e.description = f.text("target");
  e.targets = f.textList("instances");
  const std::string state = f.text("state");
  if (state != "start" && state != "stop")
    throw TraceFormatError(0, "field \"state\" is \"" + state + "\", not start or stop");
  e.started = state == "start";
  return e;
}

// A text field that must be one of `allowed`.
std::string oneOf(const Fields& f, std::string_view name, std::initializer_list<std::string_view> allowed) {
  std::string value = f.text(name);
  std::string list;
  for (std::string_view a : allowed) {
    if (a == value) return value;
    list += (list.empty() ? "" : ", ") + std::string(a);
  }
  throw TraceFormatError(0, "field \"" + std::string(name) + "\" is \"" + value + "\", not one of " + list);
}

RunEvent runOf(const Fields& f) {
  RunEvent e;
  e.scenario = f.text("scenario");
  e.seed = f.unsignedInteger("seed");
  e.mode = f.text("mode");
  e.duration = f.nanos("duration_s", kTraceSecondsDecimals);
  e.wall_epoch = f.nanos("wall_epoch_s", kTraceSecondsDecimals);
  return e;
}

EndpointEvent endpointOf(const Fields& f) {
  EndpointEvent e;
  e.instance = f.text("instance");
  e.service = f.text("service");
  e.version = f.text("version");
  e.zone = f.text("zone");
  e.state = oneOf(f, "state", {"registered", "healthy", "unhealthy"});
  e.reason = f.text("reason");
  return e;
}

ConfigEvent configOf(const Fields& f) {
  ConfigEvent e;
  e.node = f.text("node");
  e.version = f.unsignedInteger("version");
  e.state = oneOf(f, "state", {"published", "applied", "rejected"});
  e.cause = f.text("cause");
  e.reason = f.text("reason");
  if (f.has("changes")) e.changes = f.textList("changes");
  return e;
}

CertEvent certOf(const Fields& f) {
  CertEvent e;
  e.instance = f.text("instance");
  e.state = oneOf(f, "state", {"issued", "rotated", "denied", "rejected", "expired"});
  e.spiffe_id = f.text("spiffe_id");
  e.serial = f.text("serial");
  e.expires = f.nanos("expires_s", kTraceSecondsDecimals);
  e.peer = f.text("peer");
  e.reason = f.text("reason");
  return e;
}

CanaryEvent canaryOf(const Fields& f) {
  CanaryEvent e;
  e.service = f.text("service");
  e.stable = f.text("stable");
  e.canary = f.text("canary");
  e.iteration = f.integer("iteration");
  e.weight = f.integer("weight");
  e.verdict = oneOf(f, "verdict", {"start", "advance", "hold", "failed-check", "promoted", "rolled-back"});
  e.success_rate = f.optionalFigure("success_rate");
  e.latency_p99 = f.optionalNanos("latency_p99_ms", kTraceMillisDecimals);
  e.failed_checks = f.integer("failed_checks");
  e.reason = f.text("reason");
  return e;
}

VerdictEvent verdictOf(const Fields& f) {
  VerdictEvent e;
  e.name = f.text("name");
  e.type = f.text("type");
  e.passed = f.boolean("passed");
  e.observed = f.text("observed");
  e.reason = f.text("reason");
  e.decided_at = f.optionalNanos("at_s", kTraceSecondsDecimals);
  return e;
}

}  // namespace

TraceFormatError::TraceFormatError(std::uint64_t line_number, const std::string& message)
    : std::runtime_error(line_number == 0 ? message : "trace line " + std::to_string(line_number) + ": " + message),
      line_number_(line_number) {}

std::optional<ResponseFlags> parseResponseFlags(std::string_view text) {
  if (text == "-") return kNoFlags;
  ResponseFlags flags = kNoFlags;
  while (true) {
    const std::size_t comma = text.find(',');
    const std::string_view name = text.substr(0, comma);
    bool known = false;
    for (const ResponseFlag flag : allResponseFlags()) {
      if (responseFlagName(flag) == name) {
        flags |= flag;
        known = true;
      }
    }
    if (!known) return std::nullopt;
    if (comma == std::string_view::npos) return flags;
    text.remove_prefix(comma + 1);
  }
}

std::optional<TraceEntry> parseTraceLine(std::string_view line) {
  FlatObjectReader reader;
  const bool parsed = Json::sax_parse(line.begin(), line.end(), &reader);
  if (!parsed || !reader.sawObject())
    throw TraceFormatError(0, reader.error.empty() ? "a trace line is one JSON object" : reader.error);
  const Fields fields(reader);
  TraceEntry entry;
  entry.t = fields.nanos("t", kTraceSecondsDecimals);
  const std::string kind = fields.text("kind");
  if (kind == "request") entry.event = requestOf(fields);
  else if (kind == "client") entry.event = clientOf(fields);
  else if (kind == "breaker") entry.event = breakerOf(fields);
  else if (kind == "ejection") entry.event = ejectionOf(fields);
  else if (kind == "audit") entry.event = auditOf(fields);
  else if (kind == "fault") entry.event = faultOf(fields);
  else if (kind == "run") entry.event = runOf(fields);
  else if (kind == "endpoint") entry.event = endpointOf(fields);
  else if (kind == "config") entry.event = configOf(fields);
  else if (kind == "cert") entry.event = certOf(fields);
  else if (kind == "canary") entry.event = canaryOf(fields);
  else if (kind == "verdict") entry.event = verdictOf(fields);
  else return std::nullopt;
  return entry;
}

TraceContents readTrace(std::istream& in) {
  TraceContents contents;
  std::string line;
  std::uint64_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      if (auto entry = parseTraceLine(line)) contents.entries.push_back(std::move(*entry));
      else ++contents.skipped_lines;
    } catch (const TraceFormatError& e) {
      throw TraceFormatError(line_number, e.what());
    }
  }
  return contents;
}

}  // namespace meshproof::chaos
