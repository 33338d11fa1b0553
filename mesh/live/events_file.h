// The events of one live process, as trace lines (chaos/trace/trace_format.h) in its
// own file of the run directory, buffered: written at 64 KiB, every 100 ms by the
// owner and at the end. The orchestrator merges every process's file into trace.jsonl. Times
// are the process's LiveClock: nanoseconds since the run's t0, the same for all.
#pragma once
#include <cstdio>
#include <string>

#include "mesh/core/events.h"

namespace meshproof::live {

class EventsFile final : public EventSink {
 public:
  explicit EventsFile(const std::string& path);
  ~EventsFile() override;
  EventsFile(const EventsFile&) = delete;
  EventsFile& operator=(const EventsFile&) = delete;

  void emit(TimeNs t, const Event& event) override;
  void flush();

 private:
  std::FILE* file_;
  std::string buffer_;
};

}  // namespace meshproof::live
