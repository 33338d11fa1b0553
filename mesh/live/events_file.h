// The events of one live process, as trace lines (chaos/trace/trace_format.h) in its
// own file of the run directory, buffered and handed to a writer thread
// (file_writer.h) at 64 KiB, every 100 ms by the owner and at the end. The orchestrator merges every process's file into trace.jsonl. Times
// are the process's LiveClock: nanoseconds since the run's t0, the same for all.
#pragma once
#include <string>

#include "mesh/core/events.h"
#include "mesh/live/file_writer.h"

namespace meshproof::live {

class EventsFile final : public EventSink {
 public:
  explicit EventsFile(const std::string& path);
  ~EventsFile() override;
  EventsFile(const EventsFile&) = delete;
  EventsFile& operator=(const EventsFile&) = delete;

  void emit(TimeNs t, const Event& event) override;
  // Hands what is buffered to the writer thread.
  void flush();
  // Returns once every event emitted so far is in the file.
  void sync();

 private:
  FileWriter file_;
  std::string buffer_;
};

}  // namespace meshproof::live
