// TraceLineParser: trace lines into entries, the same as chaos::parseTraceLine gives
// (the project's reader, and the reference), about twice as fast. Both use
// nlohmann/json's SAX interface; this one keys every field to a fixed slot (no map,
// no per-field allocation: a slot's string is swapped with the lexer's buffer), and
// builds the event from the slots once the line is read.
//
// Only lines that parse are handled here. Whenever the reference could refuse a
// line — not JSON, a nested value, a missing field, a wrong type, a bad number, a
// duplicated field — the line is handed to chaos::parseTraceLine, which gives the
// answer and the error message (`missing field "threshold"`). So the result is the
// reference's in every case, and malformed lines cost what they did.
//
// One parser per thread (it keeps its buffers between lines).
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chaos/trace/trace_reader.h"

namespace meshproof::viz {

class TraceLineParser {
 public:
  TraceLineParser();

  // chaos::parseTraceLine's contract: nullopt for a well-formed line of an unknown
  // kind; throws chaos::TraceFormatError (line number 0) for a malformed one.
  std::optional<chaos::TraceEntry> parse(std::string_view line);
  // The same, appending the entry to `out`; false (nothing appended) for an unknown kind.
  bool parseInto(std::string_view line, std::vector<chaos::TraceEntry>& out);

  // How many lines went to the reference parser (malformed, or written unusually).
  std::uint64_t fallbacks() const { return fallbacks_; }

  // Every field name the trace format has (chaos/trace/trace_format.h), one slot each.
  enum class Field : std::uint8_t {
    kT, kKind, kReporter, kSource, kSourcePrincipal, kDestination, kSubset, kInstance, kRoute, kMethod, kPath,
    kStatus, kFlags, kStartS, kDurationMs, kAttempts, kMtls, kShadow, kTraceId, kSpanId, kWorkload, kService,
    kLost, kThreshold, kOpen, kObserver, kEjected, kReason, kTimesEjected, kDurationS, kPolicy, kPrincipal,
    kType, kTarget, kInstances, kState, kScenario, kSeed, kMode, kWallEpochS, kVersion, kZone, kNode, kCause,
    kChanges, kSpiffeId, kSerial, kExpiresS, kPeer, kStable, kCanary, kIteration, kWeight, kVerdict,
    kSuccessRate, kLatencyP99Ms, kFailedChecks, kName, kPassed, kObserved, kAtS,
    kCount,
    kUnknown = kCount,  // a name the format does not have: its value is checked, then dropped
  };
  static constexpr std::size_t kFields = static_cast<std::size_t>(Field::kCount);

  struct Slot {
    enum class Type : std::uint8_t { kNull, kBool, kNumber, kString, kStringList } type = Type::kNull;
    bool flag = false;
    std::string text;  // a number's text (as the reference sees it) or a string
    std::vector<std::string> list;
    std::size_t list_size = 0;  // the list is list[0, list_size): its strings keep their buffers
  };

 private:
  friend struct TraceLineSax;
  bool read(std::string_view line);  // false: let the reference decide
  bool build(chaos::TraceEntry& entry, bool& known_kind);

  std::array<Slot, kFields> slots_;
  std::uint64_t seen_ = 0;  // bit per Field
  std::uint64_t fallbacks_ = 0;
  static_assert(kFields <= 64);
};

}  // namespace meshproof::viz
