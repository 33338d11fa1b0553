// Buffered trace lines to a file.
#include "mesh/live/events_file.h"

#include "chaos/trace/trace_format.h"

namespace meshproof::live {
namespace {

// Handed to the writer thread once this much is buffered: pieces small enough that
// the thread's writes (~1.3 us per KiB into the page cache here) interleave with the
// event loop on a shared CPU instead of holding it for a millisecond.
constexpr std::size_t kWriteAtBytes = 64 * 1024;

}  // namespace

EventsFile::EventsFile(const std::string& path) : file_(path) {}

EventsFile::~EventsFile() { flush(); }

void EventsFile::emit(TimeNs t, const Event& event) {
  chaos::appendTraceLine(buffer_, t, event);
  if (buffer_.size() >= kWriteAtBytes) flush();
}

void EventsFile::flush() { file_.write(buffer_); }

void EventsFile::sync() {
  flush();
  file_.sync();
}

}  // namespace meshproof::live
