// The trace writer: an EventSink that writes each event as one trace.jsonl line, in
// arrival order, to a stream the caller owns, and keeps a running SHA-256 of exactly
// the bytes written (report.json's trace_sha256). When only the hash is wanted, pass
// a stream without a buffer (`std::ostream discard(nullptr);`): the lines are still
// hashed, nothing is stored.
#pragma once
#include <cstdint>
#include <ostream>
#include <string>

#include "chaos/trace/sha256.h"
#include "mesh/core/events.h"

namespace meshproof::chaos {

class TraceWriter final : public EventSink {
 public:
  explicit TraceWriter(std::ostream& out) : out_(out) {}

  void emit(TimeNs t, const Event& event) override;

  // Hex SHA-256 of every byte written so far (of the empty string before any event).
  std::string sha256() const { return hash_.hexDigest(); }
  std::uint64_t lines() const { return lines_; }
  std::uint64_t bytes() const { return bytes_; }

 private:
  std::ostream& out_;
  Sha256 hash_;
  std::string line_;  // reused buffer
  std::uint64_t lines_ = 0;
  std::uint64_t bytes_ = 0;
};

}  // namespace meshproof::chaos
