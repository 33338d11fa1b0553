// RunDirFollower: a live run in progress, from its run directory (mesh/live/run_layout.h).
// Every live process appends trace lines to its own `<process>.events` file, flushed
// every 100 ms; the follower tails every such file (files appear as processes start),
// and hands out their entries merged in time order — the order the orchestrator
// merges them in at the end (by t, then file name, then line; times before t0, from
// start-up, count as 0).
//
// Watermark: a process's events reach its file up to a flush later, so an entry is
// held back until it is `watermark` older than the run's present (poll's `now`); then
// a late flush from another process still sorts before it. An entry that arrives
// older than one already handed out anyway (a process stalled longer than the
// watermark) is handed out at the time of the newest entry handed out — its own
// fields unchanged, so a request still counts in the buckets of its own start and
// duration — and counted in lateEntries(): the model takes entries in time order.
//
// Only complete lines are read (a partial last line waits for its newline). A line
// that does not parse is skipped and counted (badLines(), the first message kept):
// a live view does not stop for one bad line.
//
// No Qt, no threads: the window polls it from a timer (ui/live_attach.h).
#pragma once
#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "chaos/trace/trace_reader.h"
#include "mesh/core/time.h"
#include "viz/model/trace_line_parser.h"

namespace meshproof::viz {

inline constexpr DurationNs kDefaultWatermark = 300 * kMillisecond;

class RunDirFollower {
 public:
  explicit RunDirFollower(std::string dir, DurationNs watermark = kDefaultWatermark);
  ~RunDirFollower();

  // Reads what the events files gained, and returns the entries whose time is at or
  // before `now - watermark` (now: run time, ns since t0), in time order.
  std::vector<chaos::TraceEntry> poll(TimeNs now);
  // Reads once more and returns everything still held back (the run is over).
  std::vector<chaos::TraceEntry> drain();

  const std::string& dir() const { return dir_; }
  DurationNs watermark() const { return watermark_; }
  std::size_t files() const { return files_.size(); }
  std::uint64_t entries() const { return handed_out_; }    // handed out so far
  std::size_t heldBack() const { return pending_.size(); }
  std::uint64_t lateEntries() const { return late_; }
  std::uint64_t badLines() const { return bad_lines_; }
  const std::string& firstBadLine() const { return first_bad_line_; }  // "<file>:<line>: <message>"
  // The time of the newest entry handed out (entries handed out later are not older).
  TimeNs newest() const { return newest_; }

 private:
  struct File;
  struct Pending {
    TimeNs t = 0;
    const std::string* file = nullptr;  // tie-break: file name, then line
    std::uint64_t line = 0;
    Event event;
  };
  void readFiles();
  void readFile(File& file);
  std::vector<chaos::TraceEntry> release(TimeNs cutoff, bool all);

  std::string dir_;
  DurationNs watermark_;
  std::map<std::string, std::unique_ptr<File>> files_;  // by file name
  std::vector<Pending> pending_;
  TraceLineParser parser_;
  TimeNs newest_ = 0;
  bool handed_any_ = false;
  std::uint64_t handed_out_ = 0;
  std::uint64_t late_ = 0;
  std::uint64_t bad_lines_ = 0;
  std::string first_bad_line_;
};

// run.json's t0 (CLOCK_MONOTONIC nanoseconds at the run's start), nullopt while it
// cannot be read (not written yet, or not a run directory).
std::optional<TimeNs> readRunT0(const std::string& dir);

// Where a followed run stands.
enum class RunDirState {
  kRunning,       // the directory is there, no trace yet
  kTraceWritten,  // <dir>/trace.jsonl is there (the merged trace: the final state)
  kGone,          // the directory was removed (the run ended and cleaned up)
};
RunDirState runDirState(const std::string& dir);

}  // namespace meshproof::viz
