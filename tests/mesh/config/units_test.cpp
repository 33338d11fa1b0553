// Durations and bandwidths parse exactly (no floating point) and reject unit-less,
// negative, unknown-unit and sub-resolution values with a clear message.
#include <gtest/gtest.h>

#include <string>

#include "mesh/config/units.h"

namespace meshproof::config {
namespace {

std::string durationError(std::string_view text) {
  try {
    (void)parseDuration(text);
  } catch (const ValueError& error) {
    return error.what();
  }
  return "(parsed)";
}

std::string bandwidthError(std::string_view text) {
  try {
    (void)parseBandwidthBps(text);
  } catch (const ValueError& error) {
    return error.what();
  }
  return "(parsed)";
}

TEST(Duration, EveryUnit) {
  EXPECT_EQ(parseDuration("7ns"), 7);
  EXPECT_EQ(parseDuration("100us"), 100'000);
  EXPECT_EQ(parseDuration("250ms"), 250'000'000);
  EXPECT_EQ(parseDuration("2s"), 2'000'000'000);
  EXPECT_EQ(parseDuration("5m"), 300'000'000'000);
  EXPECT_EQ(parseDuration("24h"), 86'400'000'000'000);
  EXPECT_EQ(parseDuration("0s"), 0);
}

TEST(Duration, DecimalsAreExact) {
  EXPECT_EQ(parseDuration("1.5s"), 1'500'000'000);
  EXPECT_EQ(parseDuration("0.1s"), 100'000'000);  // 0.1 has no exact double
  EXPECT_EQ(parseDuration("0.3ms"), 300'000);
  EXPECT_EQ(parseDuration("1.000000001s"), 1'000'000'001);
  EXPECT_EQ(parseDuration("2.5h"), 9'000'000'000'000);
  EXPECT_EQ(parseDuration(".5s"), 500'000'000);
  EXPECT_EQ(parseDuration("1.50000000000000000000000s"), 1'500'000'000);  // trailing zeros are free
}

TEST(Duration, CompoundTermsAddUp) {
  EXPECT_EQ(parseDuration("1h30m"), 5'400'000'000'000);
  EXPECT_EQ(parseDuration("1s500ms"), 1'500'000'000);
}

TEST(Duration, Errors) {
  EXPECT_EQ(durationError("10"), "\"10\" has no unit (use e.g. 10s, 250ms)");
  EXPECT_EQ(durationError("1.5"), "\"1.5\" has no unit (use e.g. 10s, 250ms)");
  EXPECT_EQ(durationError("1h30"), "\"1h30\" has no unit (use e.g. 10s, 250ms)");
  EXPECT_EQ(durationError("-1s"), "\"-1s\" is negative");
  EXPECT_EQ(durationError("-5"), "\"-5\" has no unit (use e.g. 10s, 250ms)");
  EXPECT_EQ(durationError("10sec"), "\"10sec\" has an unknown unit \"sec\" (use ns, us, ms, s, m, h)");
  EXPECT_EQ(durationError("1.5ns"), "\"1.5ns\" is finer than 1ns");
  EXPECT_EQ(durationError("s"), "\"s\" is not a duration (use e.g. 10s, 250ms)");
  EXPECT_EQ(durationError(""), "\"\" is not a duration (use e.g. 10s, 250ms)");
  EXPECT_EQ(durationError("3000000h"), "\"3000000h\" is too large");
  EXPECT_EQ(durationError("99999999999999999999s"), "\"99999999999999999999s\" is too large");
}

TEST(Duration, FormatsInTheLargestExactUnit) {
  EXPECT_EQ(formatDuration(0), "0s");
  EXPECT_EQ(formatDuration(1'500'000'000), "1.5s");
  EXPECT_EQ(formatDuration(250'000'000), "250ms");
  EXPECT_EQ(formatDuration(86'400'000'000'000), "24h");
  EXPECT_EQ(formatDuration(90'000'000'000), "90s");
  EXPECT_EQ(formatDuration(120'000'000'000), "2m");
  EXPECT_EQ(formatDuration(1'000'000'001), "1.000000001s");
  EXPECT_EQ(formatDuration(-2'000'000), "-2ms");
  EXPECT_EQ(formatDuration(7), "7ns");
}

TEST(Duration, FormatAndParseRoundTrip) {
  for (DurationNs d : {DurationNs{1}, DurationNs{999}, DurationNs{1'234'567}, DurationNs{61'000'000'000},
                       DurationNs{3'600'000'000'001}})
    EXPECT_EQ(parseDuration(formatDuration(d)), d) << formatDuration(d);
}

TEST(Bandwidth, EveryUnitInBitsPerSecond) {
  EXPECT_EQ(parseBandwidthBps("100bps"), 100);
  EXPECT_EQ(parseBandwidthBps("500kbps"), 500'000);
  EXPECT_EQ(parseBandwidthBps("500Kbps"), 500'000);
  EXPECT_EQ(parseBandwidthBps("1Mbps"), 1'000'000);
  EXPECT_EQ(parseBandwidthBps("10Gbps"), 10'000'000'000);
  EXPECT_EQ(parseBandwidthBps("1Tbps"), 1'000'000'000'000);
  EXPECT_EQ(parseBandwidthBps("1.5Gbps"), 1'500'000'000);
  EXPECT_EQ(parseBandwidthBps("0.001kbps"), 1);
}

TEST(Bandwidth, Errors) {
  EXPECT_EQ(bandwidthError("10"), "\"10\" has no unit (use e.g. 10Gbps, 500kbps)");
  EXPECT_EQ(bandwidthError("10GBps"), "\"10GBps\" has an unknown unit \"GBps\" (use bps, kbps, Mbps, Gbps, Tbps)");
  EXPECT_EQ(bandwidthError("-1Mbps"), "\"-1Mbps\" is negative");
  EXPECT_EQ(bandwidthError("1.5bps"), "\"1.5bps\" is finer than 1bps");
  EXPECT_EQ(bandwidthError("1Gbps1Mbps"), "\"1Gbps1Mbps\" is not a bandwidth (use e.g. 10Gbps, 500kbps)");
}

}  // namespace
}  // namespace meshproof::config
