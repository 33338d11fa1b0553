// Writes and hashes trace lines.
#include "chaos/trace/trace_writer.h"

#include "chaos/trace/trace_format.h"

namespace meshproof::chaos {

void TraceWriter::emit(TimeNs t, const Event& event) {
  line_.clear();
  appendTraceLine(line_, t, event);
  hash_.update(line_);
  if (out_.rdbuf() != nullptr) out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
  ++lines_;
  bytes_ += line_.size();
}

}  // namespace meshproof::chaos
