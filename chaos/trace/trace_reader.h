// Reads trace.jsonl back into events (the visualizer replays a trace with it). Times
// and durations are parsed from their decimal text exactly, so reading what
// TraceWriter wrote gives back the same events. Lines of a kind this build does not
// know (from a newer build) are skipped and counted; unknown fields
// are ignored; a missing field, a wrong type or text that is not JSON is an error
// naming the line.
#pragma once
#include <cstdint>
#include <istream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "mesh/core/events.h"
#include "mesh/core/time.h"

namespace meshproof::chaos {

struct TraceEntry {
  TimeNs t = 0;
  Event event;
};

class TraceFormatError : public std::runtime_error {
 public:
  TraceFormatError(std::uint64_t line_number, const std::string& message);
  std::uint64_t lineNumber() const { return line_number_; }  // 1-based; 0 for a lone line

 private:
  std::uint64_t line_number_;
};

// One line without its '\n'. nullopt for a well-formed line of an unknown kind.
// Throws TraceFormatError (line number 0) when the line is malformed.
std::optional<TraceEntry> parseTraceLine(std::string_view line);

struct TraceContents {
  std::vector<TraceEntry> entries;  // in file order
  std::uint64_t skipped_lines = 0;  // lines of unknown kinds
};

// The whole stream; blank lines are ignored. Throws TraceFormatError.
TraceContents readTrace(std::istream& in);

// Envoy's flag text ("UO,URX", "-") back into bits; nullopt when a name is unknown.
std::optional<ResponseFlags> parseResponseFlags(std::string_view text);

}  // namespace meshproof::chaos
