// Exact scaled-decimal text: formatting from integers and parsing back without doubles.
#include "chaos/text/fixed_decimal.h"

#include <gtest/gtest.h>

#include <limits>

namespace meshproof::chaos {
namespace {

TEST(FixedDecimal, FormatsEveryDigitOfTheScale) {
  EXPECT_EQ(formatScaled(20'000'000'000, 9), "20.000000000");
  EXPECT_EQ(formatScaled(1, 9), "0.000000001");
  EXPECT_EQ(formatScaled(123'456'789, 6), "123.456789");
  EXPECT_EQ(formatScaled(0, 6), "0.000000");
  EXPECT_EQ(formatScaled(-1'500'000, 6), "-1.500000");
  EXPECT_EQ(formatScaled(42, 0), "42");
  EXPECT_EQ(formatScaled(std::numeric_limits<std::int64_t>::min(), 9), "-9223372036.854775808");
}

TEST(FixedDecimal, ParsesBackExactly) {
  EXPECT_EQ(parseScaled("20.000000000", 9), 20'000'000'000);
  EXPECT_EQ(parseScaled("0.000000001", 9), 1);
  EXPECT_EQ(parseScaled("12.5", 6), 12'500'000);
  EXPECT_EQ(parseScaled("7", 3), 7000);
  EXPECT_EQ(parseScaled("-1.500000", 6), -1'500'000);
  EXPECT_EQ(parseScaled("9223372036.854775807", 9), std::numeric_limits<std::int64_t>::max());
}

TEST(FixedDecimal, RejectsWhatItCannotRepresentExactly) {
  EXPECT_EQ(parseScaled("0.0000000001", 9), std::nullopt);  // finer than the scale
  EXPECT_EQ(parseScaled("9223372036.854775808", 9), std::nullopt);  // overflow
  EXPECT_EQ(parseScaled("1e3", 3), std::nullopt);
  EXPECT_EQ(parseScaled("", 3), std::nullopt);
  EXPECT_EQ(parseScaled(".5", 3), std::nullopt);
  EXPECT_EQ(parseScaled("5.", 3), std::nullopt);
  EXPECT_EQ(parseScaled("-", 3), std::nullopt);
  EXPECT_EQ(parseScaled("1.2.3", 3), std::nullopt);
}

}  // namespace
}  // namespace meshproof::chaos
