// Service-time distributions against their known answers: the lognormal fitted
// from percentiles hits them, the exponential its mean, a fixed time is exact.
#include "mesh/app/service_time.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace meshproof::app {
namespace {

constexpr DurationNs ms = kMillisecond;

std::vector<double> draws(const ServiceTime& t, int n, std::uint64_t seed = 11) {
  Rng rng(seed);
  std::vector<double> out(static_cast<std::size_t>(n));
  for (auto& x : out) x = static_cast<double>(t.draw(rng));
  return out;
}

double quantile(std::vector<double> v, double q) {
  const auto k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

TEST(ServiceTime, FromPercentilesFitsMuAndSigmaOfTheLogOfNanoseconds) {
  const auto t = ServiceTime::fromPercentiles(20 * ms, 80 * ms);
  EXPECT_EQ(t.kind(), ServiceTime::Kind::kLogNormal);
  EXPECT_DOUBLE_EQ(t.logMu(), std::log(20e6));
  EXPECT_DOUBLE_EQ(t.logSigma(), std::log(4.0) / 2.3263478740408408);
  // mean = exp(mu + sigma^2 / 2) = 20ms * exp(0.355109 / 2) = 23.886ms
  EXPECT_NEAR(static_cast<double>(t.meanNs()), 23.886e6, 0.001e6);
}

TEST(ServiceTime, FromPercentilesSamplesHaveTheGivenMedianAndP99) {
  const auto sample = draws(ServiceTime::fromPercentiles(20 * ms, 80 * ms), 200'000);
  EXPECT_NEAR(quantile(sample, 0.5), 20e6, 0.01 * 20e6);
  EXPECT_NEAR(quantile(sample, 0.99), 80e6, 0.02 * 80e6);
}

TEST(ServiceTime, ExponentialSamplesHaveTheGivenMean) {
  const auto sample = draws(ServiceTime::exponential(10 * ms), 200'000);
  double sum = 0;
  for (double x : sample) sum += x;
  EXPECT_NEAR(sum / static_cast<double>(sample.size()), 10e6, 0.01 * 10e6);
  // Median of an exponential: mean * ln 2.
  EXPECT_NEAR(quantile(sample, 0.5), 10e6 * std::log(2.0), 0.01 * 10e6 * std::log(2.0));
}

TEST(ServiceTime, FixedIsExactAndConsumesNoDraw) {
  const auto t = ServiceTime::fixed(10 * ms);
  Rng rng(5);
  EXPECT_EQ(t.draw(rng), 10 * ms);
  EXPECT_EQ(t.draw(rng, 0.25), 40 * ms);
  EXPECT_EQ(t.draw(rng, 3), 3'333'333);  // rounded to the nanosecond
  EXPECT_EQ(rng.next(), Rng(5).next());
  EXPECT_EQ(ServiceTime{}.draw(rng), 0);
}

TEST(ServiceTime, CpuFactorScalesEveryDraw) {
  const auto t = ServiceTime::exponential(10 * ms);
  Rng normal_speed(9), quarter_speed(9);
  for (int i = 0; i < 1000; ++i) {
    const DurationNs base = t.draw(normal_speed);
    const DurationNs slow = t.draw(quarter_speed, 0.25);
    ASSERT_LE(std::llabs(slow - 4 * base), 2);
  }
}

TEST(ServiceTime, DrawsAreCappedAtTheLimit) {
  const auto huge = ServiceTime::logNormal(std::log(1e18), 0);
  Rng rng(1);
  EXPECT_EQ(huge.draw(rng), kServiceTimeMaxNs);
  EXPECT_EQ(ServiceTime::fixed(10 * ms).draw(rng, 1e-12), kServiceTimeMaxNs);
}

TEST(ServiceTime, EqualPercentilesMeanAConstantTime) {
  const auto t = ServiceTime::fromPercentiles(7 * ms, 7 * ms);
  Rng rng(3);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(t.draw(rng), 7 * ms);
}

TEST(ServiceTime, NonsenseIsRejected) {
  EXPECT_THROW(ServiceTime::fixed(-1), std::invalid_argument);
  EXPECT_THROW(ServiceTime::exponential(-1), std::invalid_argument);
  EXPECT_THROW(ServiceTime::fromPercentiles(0, 10), std::invalid_argument);
  EXPECT_THROW(ServiceTime::fromPercentiles(20, 10), std::invalid_argument);
  EXPECT_THROW(ServiceTime::logNormal(1, -0.1), std::invalid_argument);
  EXPECT_THROW(ServiceTime::logNormal(NAN, 1), std::invalid_argument);
}

}  // namespace
}  // namespace meshproof::app
