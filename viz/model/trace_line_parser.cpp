// A typed SAX handler for trace lines (see trace_line_parser.h). The accessors below
// mirror chaos/trace/trace_reader.cpp's field by field, except that where the
// reference throws they only note the failure: the line then goes to the reference.
#include "viz/model/trace_line_parser.h"

#include <charconv>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>

#include "chaos/text/fixed_decimal.h"
#include "chaos/trace/trace_format.h"

namespace meshproof::viz {
namespace {

using Json = nlohmann::json;
using Field = TraceLineParser::Field;
using Slot = TraceLineParser::Slot;

constexpr std::uint64_t bit(Field f) { return std::uint64_t{1} << static_cast<unsigned>(f); }

// Field names by length, so that a key costs a few short comparisons.
class FieldNames {
 public:
  FieldNames() {
    const std::initializer_list<std::pair<std::string_view, Field>> all = {
        {"t", Field::kT},
        {"kind", Field::kKind},
        {"reporter", Field::kReporter},
        {"source", Field::kSource},
        {"source_principal", Field::kSourcePrincipal},
        {"destination", Field::kDestination},
        {"subset", Field::kSubset},
        {"instance", Field::kInstance},
        {"route", Field::kRoute},
        {"method", Field::kMethod},
        {"path", Field::kPath},
        {"status", Field::kStatus},
        {"flags", Field::kFlags},
        {"start_s", Field::kStartS},
        {"duration_ms", Field::kDurationMs},
        {"attempts", Field::kAttempts},
        {"mtls", Field::kMtls},
        {"shadow", Field::kShadow},
        {"trace_id", Field::kTraceId},
        {"span_id", Field::kSpanId},
        {"workload", Field::kWorkload},
        {"service", Field::kService},
        {"lost", Field::kLost},
        {"threshold", Field::kThreshold},
        {"open", Field::kOpen},
        {"observer", Field::kObserver},
        {"ejected", Field::kEjected},
        {"reason", Field::kReason},
        {"times_ejected", Field::kTimesEjected},
        {"duration_s", Field::kDurationS},
        {"policy", Field::kPolicy},
        {"principal", Field::kPrincipal},
        {"type", Field::kType},
        {"target", Field::kTarget},
        {"instances", Field::kInstances},
        {"state", Field::kState},
        {"scenario", Field::kScenario},
        {"seed", Field::kSeed},
        {"mode", Field::kMode},
        {"wall_epoch_s", Field::kWallEpochS},
        {"version", Field::kVersion},
        {"zone", Field::kZone},
        {"node", Field::kNode},
        {"cause", Field::kCause},
        {"changes", Field::kChanges},
        {"spiffe_id", Field::kSpiffeId},
        {"serial", Field::kSerial},
        {"expires_s", Field::kExpiresS},
        {"peer", Field::kPeer},
        {"stable", Field::kStable},
        {"canary", Field::kCanary},
        {"iteration", Field::kIteration},
        {"weight", Field::kWeight},
        {"verdict", Field::kVerdict},
        {"success_rate", Field::kSuccessRate},
        {"latency_p99_ms", Field::kLatencyP99Ms},
        {"failed_checks", Field::kFailedChecks},
        {"name", Field::kName},
        {"passed", Field::kPassed},
        {"observed", Field::kObserved},
        {"at_s", Field::kAtS},
    };
    for (const auto& [name, field] : all) by_length_[name.size()].push_back({name, field});
  }
  Field find(std::string_view name) const {
    if (name.size() >= by_length_.size()) return Field::kUnknown;
    for (const auto& [candidate, field] : by_length_[name.size()])
      if (candidate == name) return field;
    return Field::kUnknown;
  }

 private:
  std::array<std::vector<std::pair<std::string_view, Field>>, 20> by_length_;
};

const FieldNames& fieldNames() {
  static const FieldNames names;
  return names;
}

// Typed access to the slots of one line: where the reference would throw, `ok`
// turns false and a default comes back.
class Fields {
 public:
  Fields(const std::array<Slot, TraceLineParser::kFields>& slots, std::uint64_t seen) : slots_(slots), seen_(seen) {}
  bool ok = true;

  bool has(Field f) const { return (seen_ & bit(f)) != 0; }
  const std::string& text(Field f) { return get(f, Slot::Type::kString).text; }
  std::string optionalText(Field f) { return has(f) ? text(f) : std::string(); }
  // A trace or span ID; too long for its type: the reference's error.
  template <class Id>
  Id hexId(Field f) {
    const std::string& value = text(f);
    return value.size() <= Id::kMaxSize ? Id(value) : fail(Id());
  }
  bool boolean(Field f) { return get(f, Slot::Type::kBool).flag; }
  std::vector<std::string> textList(Field f) {
    const Slot& s = get(f, Slot::Type::kStringList);
    if (s.type != Slot::Type::kStringList) return {};
    return {s.list.begin(), s.list.begin() + static_cast<std::ptrdiff_t>(s.list_size)};
  }
  int integer(Field f) {
    const auto value = chaos::parseScaled(get(f, Slot::Type::kNumber).text, 0);
    if (!value || *value < std::numeric_limits<std::int32_t>::min() ||
        *value > std::numeric_limits<std::int32_t>::max())
      return fail(0);
    return static_cast<int>(*value);
  }
  std::int64_t nanos(Field f, int scale_digits) {
    const auto value = chaos::parseScaled(get(f, Slot::Type::kNumber).text, scale_digits);
    return value ? *value : fail<std::int64_t>(0);
  }
  std::uint64_t unsignedInteger(Field f) {
    const std::string& text = get(f, Slot::Type::kNumber).text;
    if (text.empty() || text.size() > 20 || text.find_first_not_of("0123456789") != std::string::npos)
      return fail<std::uint64_t>(0);
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return fail<std::uint64_t>(0);
    return value;
  }
  bool isNull(Field f) {
    if (!has(f)) return fail(false);
    return slots_[static_cast<std::size_t>(f)].type == Slot::Type::kNull;
  }
  std::optional<std::int64_t> optionalNanos(Field f, int scale_digits) {
    if (isNull(f)) return std::nullopt;
    return nanos(f, scale_digits);
  }
  std::optional<double> optionalFigure(Field f) {
    if (isNull(f)) return std::nullopt;
    return static_cast<double>(nanos(f, chaos::kTraceFigureDecimals)) / chaos::kTraceFigureScale;
  }
  ResponseFlags flags(Field f) {
    const std::string& value = text(f);
    if (value == "-") return kNoFlags;
    const auto flags = chaos::parseResponseFlags(value);
    return flags ? *flags : fail(kNoFlags);
  }
  const std::string& oneOf(Field f, std::initializer_list<std::string_view> allowed) {
    const std::string& value = text(f);
    for (const std::string_view a : allowed)
      if (a == value) return value;
    fail(0);
    return value;
  }

 private:
  const Slot& get(Field f, Slot::Type type) {
    const Slot& s = slots_[static_cast<std::size_t>(f)];
    if (!has(f) || s.type != type) {
      ok = false;
      return empty_;
    }
    return s;
  }
  template <typename T>
  T fail(T value) {
    ok = false;
    return value;
  }
  const std::array<Slot, TraceLineParser::kFields>& slots_;
  std::uint64_t seen_;
  Slot empty_;
};

void fill(Fields& f, RequestEvent& e) {
  e.reporter = f.text(Field::kReporter);
  e.source = f.text(Field::kSource);
  e.source_principal = f.text(Field::kSourcePrincipal);
  e.destination_service = f.text(Field::kDestination);
  e.destination_subset = f.text(Field::kSubset);
  e.destination_instance = f.text(Field::kInstance);
  e.route = f.text(Field::kRoute);
  e.method = f.text(Field::kMethod);
  e.path = f.text(Field::kPath);
  e.status = f.integer(Field::kStatus);
  e.flags = f.flags(Field::kFlags);
  e.start = f.nanos(Field::kStartS, chaos::kTraceSecondsDecimals);
  e.duration = f.nanos(Field::kDurationMs, chaos::kTraceMillisDecimals);
  e.attempts = f.integer(Field::kAttempts);
  e.mtls = f.boolean(Field::kMtls);
  e.shadow = f.boolean(Field::kShadow);
  e.trace_id = f.hexId<TraceIdText>(Field::kTraceId);
  e.span_id = f.hexId<SpanIdText>(Field::kSpanId);
}

void fill(Fields& f, ClientRequestEvent& e) {
  e.workload = f.text(Field::kWorkload);
  e.target_service = f.text(Field::kService);
  e.method = f.text(Field::kMethod);
  e.path = f.text(Field::kPath);
  e.status = f.integer(Field::kStatus);
  e.flags = f.flags(Field::kFlags);
  e.start = f.nanos(Field::kStartS, chaos::kTraceSecondsDecimals);
  e.duration = f.nanos(Field::kDurationMs, chaos::kTraceMillisDecimals);
  e.lost = f.boolean(Field::kLost);
  e.trace_id = f.hexId<TraceIdText>(Field::kTraceId);
}

void fill(Fields& f, BreakerEvent& e) {
  e.observer = f.optionalText(Field::kObserver);
  e.service = f.text(Field::kService);
  e.threshold = f.text(Field::kThreshold);
  e.open = f.boolean(Field::kOpen);
}

void fill(Fields& f, EjectionEvent& e) {
  e.observer = f.optionalText(Field::kObserver);
  e.service = f.text(Field::kService);
  e.instance = f.text(Field::kInstance);
  e.ejected = f.boolean(Field::kEjected);
  e.reason = f.text(Field::kReason);
  e.times_ejected = f.integer(Field::kTimesEjected);
  e.duration = f.nanos(Field::kDurationS, chaos::kTraceSecondsDecimals);
}

void fill(Fields& f, AuditEvent& e) {
  e.policy = f.text(Field::kPolicy);
  e.service = f.text(Field::kService);
  e.principal = f.text(Field::kPrincipal);
  e.method = f.text(Field::kMethod);
  e.path = f.text(Field::kPath);
}

void fill(Fields& f, FaultEvent& e) {
  e.type = f.text(Field::kType);
  e.description = f.text(Field::kTarget);
  e.targets = f.textList(Field::kInstances);
  const std::string& state = f.oneOf(Field::kState, {"start", "stop"});
  e.started = state == "start";
}

void fill(Fields& f, RunEvent& e) {
  e.scenario = f.text(Field::kScenario);
  e.seed = f.unsignedInteger(Field::kSeed);
  e.mode = f.text(Field::kMode);
  e.duration = f.nanos(Field::kDurationS, chaos::kTraceSecondsDecimals);
  e.wall_epoch = f.nanos(Field::kWallEpochS, chaos::kTraceSecondsDecimals);
}

void fill(Fields& f, EndpointEvent& e) {
  e.instance = f.text(Field::kInstance);
  e.service = f.text(Field::kService);
  e.version = f.text(Field::kVersion);
  e.zone = f.text(Field::kZone);
  e.state = f.oneOf(Field::kState, {"registered", "healthy", "unhealthy"});
  e.reason = f.text(Field::kReason);
}

void fill(Fields& f, ConfigEvent& e) {
  e.node = f.text(Field::kNode);
  e.version = f.unsignedInteger(Field::kVersion);
  e.state = f.oneOf(Field::kState, {"published", "applied", "rejected"});
  e.cause = f.text(Field::kCause);
  e.reason = f.text(Field::kReason);
  if (f.has(Field::kChanges)) e.changes = f.textList(Field::kChanges);
}

void fill(Fields& f, CertEvent& e) {
  e.instance = f.text(Field::kInstance);
  e.state = f.oneOf(Field::kState, {"issued", "rotated", "denied", "rejected", "expired"});
  e.spiffe_id = f.text(Field::kSpiffeId);
  e.serial = f.text(Field::kSerial);
  e.expires = f.nanos(Field::kExpiresS, chaos::kTraceSecondsDecimals);
  e.peer = f.text(Field::kPeer);
  e.reason = f.text(Field::kReason);
}

void fill(Fields& f, CanaryEvent& e) {
  e.service = f.text(Field::kService);
  e.stable = f.text(Field::kStable);
  e.canary = f.text(Field::kCanary);
  e.iteration = f.integer(Field::kIteration);
  e.weight = f.integer(Field::kWeight);
  e.verdict = f.oneOf(Field::kVerdict, {"start", "advance", "hold", "failed-check", "promoted", "rolled-back"});
  e.success_rate = f.optionalFigure(Field::kSuccessRate);
  e.latency_p99 = f.optionalNanos(Field::kLatencyP99Ms, chaos::kTraceMillisDecimals);
  e.failed_checks = f.integer(Field::kFailedChecks);
  e.reason = f.text(Field::kReason);
}

void fill(Fields& f, VerdictEvent& e) {
  e.name = f.text(Field::kName);
  e.type = f.text(Field::kType);
  e.passed = f.boolean(Field::kPassed);
  e.observed = f.text(Field::kObserved);
  e.reason = f.text(Field::kReason);
  e.decided_at = f.optionalNanos(Field::kAtS, chaos::kTraceSecondsDecimals);
}

template <typename E>
void fillAs(Fields& f, chaos::TraceEntry& entry) {
  fill(f, entry.event.emplace<E>());
}

}  // namespace

// The SAX side: the same structural rules as the reference's reader (one flat
// object; values are scalars or lists of strings), into the parser's slots. Any
// refusal, and a field given twice, returns false: the reference decides then.
struct TraceLineSax {
  using number_integer_t = Json::number_integer_t;
  using number_unsigned_t = Json::number_unsigned_t;
  using number_float_t = Json::number_float_t;
  using string_t = Json::string_t;
  using binary_t = Json::binary_t;

  explicit TraceLineSax(TraceLineParser& p) : parser(p) {}

  TraceLineParser& parser;
  Field field = Field::kUnknown;
  int depth = 0;
  bool in_array = false;
  bool done = false;

  Slot* scalarSlot() {
    if (depth != 1 || in_array) return nullptr;
    return field == Field::kUnknown ? &unknown_ : &parser.slots_[static_cast<std::size_t>(field)];
  }
  bool null() {
    Slot* s = scalarSlot();
    if (s == nullptr) return false;
    s->type = Slot::Type::kNull;
    return true;
  }
  bool boolean(bool value) {
    Slot* s = scalarSlot();
    if (s == nullptr) return false;
    s->type = Slot::Type::kBool;
    s->flag = value;
    return true;
  }
  template <typename Integer>
  bool integer(Integer value) {
    Slot* s = scalarSlot();
    if (s == nullptr) return false;
    s->type = Slot::Type::kNumber;
    if (s == &unknown_) return true;
    // The reference's text for an integer is std::to_string of its value.
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    s->text.assign(digits, end);
    return true;
  }
  bool number_integer(number_integer_t value) { return integer(value); }
  bool number_unsigned(number_unsigned_t value) { return integer(value); }
  bool number_float(number_float_t, const string_t& text) {
    Slot* s = scalarSlot();
    if (s == nullptr) return false;
    s->type = Slot::Type::kNumber;
    if (s != &unknown_) s->text = text;
    return true;
  }
  bool string(string_t& value) {
    if (in_array) {
      if (field == Field::kUnknown) return true;
      Slot& s = parser.slots_[static_cast<std::size_t>(field)];
      if (s.list_size == s.list.size()) s.list.emplace_back();
      s.list[s.list_size++].swap(value);
      return true;
    }
    Slot* s = scalarSlot();
    if (s == nullptr) return false;
    s->type = Slot::Type::kString;
    if (s != &unknown_) s->text.swap(value);  // the lexer clears it before the next token
    return true;
  }
  bool binary(binary_t&) { return false; }
  bool start_object(std::size_t) {
    if (depth != 0) return false;
    ++depth;
    return true;
  }
  bool key(string_t& name) {
    field = fieldNames().find(name);
    if (field == Field::kUnknown) return true;
    if ((parser.seen_ & bit(field)) != 0) return false;  // given twice
    parser.seen_ |= bit(field);
    return true;
  }
  bool end_object() {
    --depth;
    done = true;
    return true;
  }
  bool start_array(std::size_t) {
    if (depth != 1 || in_array) return false;
    in_array = true;
    if (field != Field::kUnknown) {
      Slot& s = parser.slots_[static_cast<std::size_t>(field)];
      s.type = Slot::Type::kStringList;
      s.list_size = 0;
    }
    return true;
  }
  bool end_array() {
    in_array = false;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

 private:
  Slot unknown_;
};

TraceLineParser::TraceLineParser() { fieldNames(); }

bool TraceLineParser::read(std::string_view line) {
  seen_ = 0;
  TraceLineSax sax(*this);
  return Json::sax_parse(line.begin(), line.end(), &sax) && sax.done;
}

bool TraceLineParser::build(chaos::TraceEntry& entry, bool& known_kind) {
  Fields f(slots_, seen_);
  entry.t = f.nanos(Field::kT, chaos::kTraceSecondsDecimals);
  const std::string& kind = f.text(Field::kKind);
  if (!f.ok) return false;
  known_kind = true;
  if (kind == "request") fillAs<RequestEvent>(f, entry);
  else if (kind == "client") fillAs<ClientRequestEvent>(f, entry);
  else if (kind == "breaker") fillAs<BreakerEvent>(f, entry);
  else if (kind == "ejection") fillAs<EjectionEvent>(f, entry);
  else if (kind == "audit") fillAs<AuditEvent>(f, entry);
  else if (kind == "fault") fillAs<FaultEvent>(f, entry);
  else if (kind == "run") fillAs<RunEvent>(f, entry);
  else if (kind == "endpoint") fillAs<EndpointEvent>(f, entry);
  else if (kind == "config") fillAs<ConfigEvent>(f, entry);
  else if (kind == "cert") fillAs<CertEvent>(f, entry);
  else if (kind == "canary") fillAs<CanaryEvent>(f, entry);
  else if (kind == "verdict") fillAs<VerdictEvent>(f, entry);
  else known_kind = false;
  return f.ok;
}

bool TraceLineParser::parseInto(std::string_view line, std::vector<chaos::TraceEntry>& out) {
  if (read(line)) {
    chaos::TraceEntry& entry = out.emplace_back();
    bool known_kind = false;
    if (build(entry, known_kind)) {
      if (!known_kind) out.pop_back();
      return known_kind;
    }
    out.pop_back();
  }
  ++fallbacks_;
  auto entry = chaos::parseTraceLine(line);
  if (!entry) return false;
  out.push_back(std::move(*entry));
  return true;
}

std::optional<chaos::TraceEntry> TraceLineParser::parse(std::string_view line) {
  if (read(line)) {
    std::optional<chaos::TraceEntry> entry(std::in_place);
    bool known_kind = false;
    if (build(*entry, known_kind)) {
      if (!known_kind) entry.reset();
      return entry;
    }
  }
  ++fallbacks_;
  return chaos::parseTraceLine(line);
}

}  // namespace meshproof::viz
