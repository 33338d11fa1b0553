// Buffered trace lines to a file.
#include "mesh/live/events_file.h"

#include <stdexcept>

#include "chaos/trace/trace_format.h"

namespace meshproof::live {

EventsFile::EventsFile(const std::string& path) : file_(std::fopen(path.c_str(), "ab")) {
  if (file_ == nullptr) throw std::runtime_error("cannot write " + path);
}

EventsFile::~EventsFile() {
  flush();
  std::fclose(file_);
}

void EventsFile::emit(TimeNs t, const Event& event) {
  chaos::appendTraceLine(buffer_, t, event);
  if (buffer_.size() > (1u << 20)) flush();
}

void EventsFile::flush() {
  if (buffer_.empty()) return;
  std::fwrite(buffer_.data(), 1, buffer_.size(), file_);
  std::fflush(file_);
  buffer_.clear();
}

}  // namespace meshproof::live
