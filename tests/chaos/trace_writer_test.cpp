// The trace writer: lines in arrival order, and a SHA-256 of exactly the bytes
// written (checked against a digest computed with sha256sum), with or without a
// stream to write to.
#include "chaos/trace/trace_writer.h"

#include <gtest/gtest.h>

#include <sstream>

#include "event_builders.h"

namespace meshproof::chaos {
namespace {

using namespace testing;

// printf '%s\n%s\n' '<the two lines below>' | sha256sum
constexpr const char* kKnownTraceSha256 = "197be603aa98612044d4a1152eb61684c671e1c0c838139de3cc964892c7063d";
constexpr const char* kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

void emitKnownTrace(EventSink& sink) {
  sink.emit(1, breaker("payments", true));
  sink.emit(21'000'000'000, ejection("payments", "payments-v1-0", true));
}

TEST(TraceWriter, WritesLinesInArrivalOrderAndHashesThem) {
  std::ostringstream out;
  TraceWriter writer(out);
  EXPECT_EQ(writer.sha256(), kEmptySha256);
  emitKnownTrace(writer);
  EXPECT_EQ(out.str(),
            R"({"t":0.000000001,"kind":"breaker","service":"payments","threshold":"http1MaxPendingRequests","open":true})"
            "\n"
            R"({"t":21.000000000,"kind":"ejection","service":"payments","instance":"payments-v1-0","ejected":true,)"
            R"("reason":"consecutive5xx","times_ejected":1,"duration_s":30.000000000})"
            "\n");
  EXPECT_EQ(writer.sha256(), kKnownTraceSha256);
  EXPECT_EQ(writer.lines(), 2u);
  EXPECT_EQ(writer.bytes(), out.str().size());
}

TEST(TraceWriter, HashesWithoutAStream) {
  std::ostream discard(nullptr);
  TraceWriter writer(discard);
  emitKnownTrace(writer);
  EXPECT_EQ(writer.sha256(), kKnownTraceSha256);
}

TEST(TraceWriter, HashCanBeReadMidStream) {
  std::ostringstream out;
  TraceWriter writer(out);
  writer.emit(1, breaker("payments", true));
  const std::string first = writer.sha256();
  EXPECT_EQ(first, sha256Hex(out.str()));
  writer.emit(21'000'000'000, ejection("payments", "payments-v1-0", true));
  EXPECT_NE(writer.sha256(), first);
  EXPECT_EQ(writer.sha256(), kKnownTraceSha256);
}

TEST(TraceWriter, ArrivalOrderIsKeptEvenWhenTimesGoBack) {
  std::ostringstream out;
  TraceWriter writer(out);
  writer.emit(2'000'000'000, breaker("a", true));
  writer.emit(1'000'000'000, breaker("b", true));
  EXPECT_EQ(out.str().substr(0, 20), R"({"t":2.000000000,"ki)");
  EXPECT_NE(out.str().find(R"({"t":1.000000000,"kind":"breaker","service":"b")"), std::string::npos);
}

}  // namespace
}  // namespace meshproof::chaos
