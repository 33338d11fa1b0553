// Trace and span IDs held inline (hex_id.h): they keep the text they were given up
// to their length, compare and hash as that text, and refuse longer text.
#include "mesh/core/hex_id.h"

#include <gtest/gtest.h>

#include <unordered_set>

namespace meshproof {
namespace {

TEST(HexId, KeepsTheTextItWasGiven) {
  const TraceIdText id = "4bf92f3577b34da6a3ce929d0e0e4736";
  EXPECT_EQ(id.view(), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(id.size(), 32u);
  EXPECT_FALSE(id.empty());
  EXPECT_TRUE(SpanIdText().empty());
  SpanIdText span = "00f067aa0ba902b7";
  EXPECT_EQ(span, "00f067aa0ba902b7");
  span = "abc";  // shorter text: a trace written by hand, a test's
  EXPECT_EQ(span.str(), "abc");
  EXPECT_EQ(span.size(), 3u);
}

TEST(HexId, ComparesAndHashesAsItsText) {
  EXPECT_EQ(SpanIdText("00f067aa0ba902b7"), SpanIdText("00f067aa0ba902b7"));
  EXPECT_NE(SpanIdText("00f067aa0ba902b7"), SpanIdText("00f067aa0ba902b8"));
  EXPECT_NE(SpanIdText("ab"), SpanIdText("abc"));
  EXPECT_LT(SpanIdText("ab"), SpanIdText("abc"));
  std::unordered_set<SpanIdText> seen{"00f067aa0ba902b7", "00f067aa0ba902b8"};
  EXPECT_EQ(seen.count("00f067aa0ba902b7"), 1u);
  EXPECT_EQ(seen.count("00f067aa0ba902b9"), 0u);
  EXPECT_EQ(std::hash<SpanIdText>()("abc"), std::hash<std::string_view>()("abc"));
}

TEST(HexId, RefusesLongerText) {
  EXPECT_THROW(SpanIdText("00f067aa0ba902b7f"), std::length_error);
  SpanIdText id = "00f067aa0ba902b7";
  EXPECT_THROW(id = "4bf92f3577b34da6a3ce929d0e0e4736", std::length_error);
  EXPECT_EQ(id, "00f067aa0ba902b7");  // unchanged
}

}  // namespace
}  // namespace meshproof
