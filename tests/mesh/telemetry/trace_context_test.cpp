// Tests for W3C traceparent parsing, formatting and id generation, using the
// examples of the Trace Context specification.
#include "mesh/telemetry/trace_context.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace meshproof::telemetry {
namespace {

constexpr const char* kSampled = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
constexpr const char* kNotSampled = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";

TEST(Traceparent, ParsesTheSpecExamples) {
  const auto sampled = parseTraceparent(kSampled);
  ASSERT_TRUE(sampled.has_value());
  EXPECT_EQ(sampled->trace_id.high, 0x4bf92f3577b34da6u);
  EXPECT_EQ(sampled->trace_id.low, 0xa3ce929d0e0e4736u);
  EXPECT_EQ(sampled->parent_id.value, 0x00f067aa0ba902b7u);
  EXPECT_TRUE(sampled->sampled());
  EXPECT_EQ(toHex(sampled->trace_id), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(toHex(sampled->parent_id), "00f067aa0ba902b7");

  const auto not_sampled = parseTraceparent(kNotSampled);
  ASSERT_TRUE(not_sampled.has_value());
  EXPECT_FALSE(not_sampled->sampled());
}

TEST(Traceparent, FormatsBackToTheSameText) {
  EXPECT_EQ(formatTraceparent(*parseTraceparent(kSampled)), kSampled);
  EXPECT_EQ(formatTraceparent(*parseTraceparent(kNotSampled)), kNotSampled);
  const char* other = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  EXPECT_EQ(formatTraceparent(*parseTraceparent(other)), other);
}

TEST(Traceparent, RejectsWhatTheSpecForbids) {
  const char* invalid[] = {
      "",
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",   // uppercase trace-id
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",   // uppercase parent-id
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0A",   // uppercase flags
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",   // all-zero trace-id
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",   // all-zero parent-id
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",   // version ff
      "0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",    // short version
      "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",    // 31-digit trace-id
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01",    // 15-digit parent-id
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",    // 1-digit flags
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",  // version 00 with more data
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-will-be-like",
      "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",   // wrong delimiter
      "00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7_01",
      "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",   // non-hex character
      "zz-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",   // non-hex version
      " 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // leading space
  };
  for (const char* value : invalid) EXPECT_FALSE(parseTraceparent(value).has_value()) << value;
}

TEST(Traceparent, HigherVersionsAreParsedAsTheSpecAsks) {
  const auto future = parseTraceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-will-be-like");
  ASSERT_TRUE(future.has_value());
  EXPECT_EQ(toHex(future->trace_id), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_TRUE(future->sampled());
  // Re-emitted as the highest version we know.
  EXPECT_EQ(formatTraceparent(*future), kSampled);

  EXPECT_TRUE(parseTraceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").has_value());
  EXPECT_FALSE(parseTraceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01.what-the-future").has_value());
  // Of the flags of an unknown version, only the sampled bit is used.
  const auto flags = parseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09");
  ASSERT_TRUE(flags.has_value());
  EXPECT_EQ(flags->flags, kTraceFlagSampled);
}

TEST(TraceIds, NewIdsAreNonZeroLowercaseAndSeeded) {
  Rng rng(7);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const TraceContext root = newTrace(rng, true);
    ASSERT_TRUE(root.trace_id.valid());
    ASSERT_TRUE(root.parent_id.valid());
    const std::string text = formatTraceparent(root);
    ASSERT_EQ(text.size(), kTraceparentLength);
    ASSERT_EQ(parseTraceparent(text), root);  // our own output always parses
    seen.insert(toHex(root.trace_id).str());
  }
  EXPECT_EQ(seen.size(), 1000u);

  Rng a(42), b(42), c(43);
  EXPECT_EQ(newTraceId(a), newTraceId(b));
  EXPECT_NE(newTraceId(a), newTraceId(c));
  EXPECT_FALSE(newTrace(b, false).sampled());
}

TEST(TraceIds, ChildKeepsTheTraceAndTheSampledFlag) {
  Rng rng(9);
  const TraceContext parent = *parseTraceparent(kSampled);
  const TraceContext child = childOf(parent, rng);
  EXPECT_EQ(child.trace_id, parent.trace_id);
  EXPECT_NE(child.parent_id, parent.parent_id);
  EXPECT_TRUE(child.parent_id.valid());
  EXPECT_TRUE(child.sampled());
  EXPECT_EQ(formatTraceparent(child).substr(0, 36), "00-4bf92f3577b34da6a3ce929d0e0e4736-");
  EXPECT_EQ(formatTraceparent(child).substr(52), "-01");

  const TraceContext unsampled = childOf(*parseTraceparent(kNotSampled), rng);
  EXPECT_FALSE(unsampled.sampled());

  // Undefined flags are not passed on.
  const TraceContext odd = *parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03");
  EXPECT_EQ(odd.flags, 0x03);
  EXPECT_EQ(childOf(odd, rng).flags, kTraceFlagSampled);
}

}  // namespace
}  // namespace meshproof::telemetry
