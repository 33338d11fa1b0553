// Loads a trace.jsonl into a RunModel. Lines are parsed by the project's reader
// (chaos::parseTraceLine) on worker threads, a block of lines per task, and
// appended to the model in file order on the calling thread, so the model is the
// same as a line-by-line append whatever the thread count. The whole file is never
// held as events: blocks in flight are bounded.
//
// A malformed line stops the load with TraceLoadError naming the file and line
// (the first bad line of the file, whatever the threads did). Lines of kinds this
// build does not know are skipped and counted.
#pragma once
#include <cstdint>
#include <functional>
#include <istream>
#include <stdexcept>
#include <string>

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
  std::function<void(const LoadProgress&)> progress;  // called after each block
};

struct LoadSummary {
  std::uint64_t lines = 0;          // non-blank lines
  std::uint64_t skipped_lines = 0;  // of unknown kinds
  std::uint64_t bytes = 0;
};

// `source` names the stream in errors (a path, or e.g. "<stdin>").
LoadSummary loadTrace(std::istream& in, const std::string& source, RunModel& model, const LoadOptions& options = {});
LoadSummary loadTraceFile(const std::string& path, RunModel& model, const LoadOptions& options = {});

}  // namespace meshproof::viz
