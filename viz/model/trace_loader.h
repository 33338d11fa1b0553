// Loads a trace.jsonl into a RunModel. Lines are parsed on worker threads, a block of
// lines per task, by TraceLineParser (the same entries as the project's reader,
// chaos::parseTraceLine, which it hands every line it cannot take), and appended to
// the model in file order on the calling thread, so the model is the same as a
// line-by-line append whatever the thread count. The whole file is never held as
// events: blocks in flight are bounded. loadTraceFile maps the file and cuts its
// blocks in the mapping (no copy); a file that cannot be mapped is read as a stream.
//
// A malformed line stops the load with TraceLoadError naming the file and line
// (the first bad line of the file, whatever the threads did). Lines of kinds this
// build does not know are skipped and counted.
//
// Lines the model ignores are not parsed at all when `skip_ignored_lines` is on
// (the default; parsing is 95% of the load): `client` and `audit` lines, and
// destination-reported `request` lines from an mTLS caller that were not rejected
// (the caller's own line counts instead; see traffic_store.h). They are recognised
// by the writer's byte layout (`{"t":…,"kind":"client",…`); such a line is only
// checked to be one `{…}` object, so a line of them that is corrupted inside goes
// unnoticed. A line written any other way is parsed as usual.
#pragma once
#include <cstdint>
#include <functional>
#include <istream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "viz/model/run_model.h"

namespace meshproof::viz {

class TraceLoadError : public std::runtime_error {
 public:
  // what(): "<source>:<line>: <message>", or "<source>: <message>" for line 0.
  TraceLoadError(const std::string& source, std::uint64_t line, const std::string& message);
  std::uint64_t line() const { return line_; }  // 1-based; 0 when not about a line

 private:
  std::uint64_t line_;
};

struct LoadProgress {
  std::uint64_t bytes = 0;  // consumed so far
  std::uint64_t lines = 0;
};

struct LoadOptions {
  unsigned threads = 2;                     // parser threads; 0 or 1 parse on the calling thread
  std::size_t block_bytes = 1 << 20;        // text handed to a thread at a time
  bool skip_ignored_lines = true;           // see the file comment
  std::function<void(const LoadProgress&)> progress;  // called after each block
};

struct LoadSummary {
  std::uint64_t lines = 0;          // non-blank lines
  std::uint64_t skipped_lines = 0;  // of unknown kinds
  std::uint64_t ignored_lines = 0;  // not parsed: the model ignores them
  std::uint64_t bytes = 0;
};

// `source` names the stream in errors (a path, or e.g. "<stdin>").
LoadSummary loadTrace(std::istream& in, const std::string& source, RunModel& model, const LoadOptions& options = {});
LoadSummary loadTraceFile(const std::string& path, RunModel& model, const LoadOptions& options = {});

// True for a line the model would ignore, recognised without parsing (see above).
bool isIgnoredLine(std::string_view line);

}  // namespace meshproof::viz
