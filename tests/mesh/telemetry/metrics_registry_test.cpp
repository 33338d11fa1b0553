// Tests for the metrics registry: Istio label series, per-service figures as seen by
// callers (reporter=source), success semantics, response-flag counts, time windows
// and the EventSink adapter.
#include "mesh/telemetry/metrics_registry.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "mesh/telemetry/metrics_sink.h"

namespace meshproof::telemetry {
namespace {

RequestEvent call(std::string destination, std::string subset, int status, ResponseFlags flags, TimeNs start,
                  DurationNs duration, std::string reporter = "source") {
  RequestEvent e;
  e.reporter = std::move(reporter);
  e.source = "frontend-v1-0";
  e.destination_service = std::move(destination);
  e.destination_subset = std::move(subset);
  e.status = status;
  e.flags = flags;
  e.start = start;
  e.duration = duration;
  return e;
}

TEST(MetricsRegistry, OneSeriesPerLabelSetInLabelOrder) {
  MetricsRegistry registry;
  registry.observe(call("payments", "v1", 200, kNoFlags, 0, 10 * kMillisecond));
  registry.observe(call("payments", "v1", 200, kNoFlags, 0, 30 * kMillisecond));
  registry.observe(call("payments", "v1", 503, kUpstreamOverflow, 0, 1 * kMillisecond));
  registry.observe(call("payments", "", 200, kNoFlags, 0, 5 * kMillisecond, "destination"));

  ASSERT_EQ(registry.series().size(), 3u);
  auto it = registry.series().begin();
  EXPECT_EQ(it->first.reporter, "destination");
  EXPECT_EQ(it->first.destination_version, "unknown");
  EXPECT_EQ(it->second.requests_total, 1u);
  ++it;
  EXPECT_EQ(it->first.reporter, "source");
  EXPECT_EQ(it->first.source_workload, "frontend-v1-0");
  EXPECT_EQ(it->first.destination_service, "payments");
  EXPECT_EQ(it->first.destination_version, "v1");
  EXPECT_EQ(it->first.response_code, 200);
  EXPECT_EQ(it->first.responseFlagsLabel(), "-");
  EXPECT_EQ(it->second.requests_total, 2u);
  EXPECT_EQ(it->second.duration.count(), 2u);
  EXPECT_EQ(it->second.duration.max(), 30 * kMillisecond);
  ++it;
  EXPECT_EQ(it->first.response_code, 503);
  EXPECT_EQ(it->first.responseFlagsLabel(), "UO");
  EXPECT_EQ(it->second.requests_total, 1u);
  EXPECT_EQ(registry.observedEvents(), 4u);
}

TEST(MetricsRegistry, ServiceFiguresCountOnlyTheCallersView) {
  MetricsRegistry registry;
  registry.observe(call("payments", "v1", 200, kNoFlags, 0, kMillisecond));
  registry.observe(call("payments", "v1", 503, kUpstreamOverflow, 0, kMillisecond));
  registry.observe(call("payments", "v1", 503, kNoHealthyUpstream | kUpstreamRetryLimitExceeded, 0, kMillisecond));
  registry.observe(call("payments", "v1", 403, kRbacDenied, 0, kMillisecond));
  registry.observe(call("payments", "v1", 0, kUpstreamRemoteReset, 0, kMillisecond));
  registry.observe(call("payments", "v1", 500, kNoFlags, 0, kMillisecond, "destination"));

  const RequestStats* payments = registry.service("payments");
  ASSERT_NE(payments, nullptr);
  EXPECT_EQ(payments->requests(), 5u);
  EXPECT_EQ(payments->successes(), 2u);  // 200 and the 403 denial; 503, 503 and 0 fail
  EXPECT_EQ(payments->failures(), 3u);
  ASSERT_TRUE(payments->successRatePercent().has_value());
  EXPECT_DOUBLE_EQ(*payments->successRatePercent(), 40.0);
  EXPECT_EQ(payments->flagCount(kUpstreamOverflow), 1u);
  EXPECT_EQ(payments->flagCount(kNoHealthyUpstream), 1u);
  EXPECT_EQ(payments->flagCount(kUpstreamRetryLimitExceeded), 1u);
  EXPECT_EQ(payments->flagCount(kRbacDenied), 1u);
  EXPECT_EQ(payments->flagCount(kUpstreamRequestTimeout), 0u);
  EXPECT_EQ(registry.service("checkout"), nullptr);

  const auto flags = payments->flagCounts();
  ASSERT_EQ(flags.size(), allResponseFlags().size());
  for (std::size_t i = 0; i < flags.size(); ++i) {
    EXPECT_EQ(flags[i].flag, allResponseFlags()[i]);
    EXPECT_EQ(flags[i].name, responseFlagName(allResponseFlags()[i]));
    EXPECT_EQ(flags[i].count, payments->flagCount(flags[i].flag));
  }
}

TEST(MetricsRegistry, SuccessMeansAResponseBelow500) {
  EXPECT_TRUE(isSuccessStatus(200));
  EXPECT_TRUE(isSuccessStatus(302));
  EXPECT_TRUE(isSuccessStatus(403));
  EXPECT_TRUE(isSuccessStatus(499));
  EXPECT_FALSE(isSuccessStatus(500));
  EXPECT_FALSE(isSuccessStatus(503));
  EXPECT_FALSE(isSuccessStatus(0));
  EXPECT_FALSE(RequestStats{}.successRatePercent().has_value());
}

TEST(MetricsRegistry, ServiceLatencyQuantilesInMilliseconds) {
  MetricsRegistry registry;
  for (int ms = 1; ms <= 100; ++ms) registry.observe(call("payments", "v1", 200, kNoFlags, 0, ms * kMillisecond));
  const RequestStats& payments = *registry.service("payments");
  EXPECT_NEAR(payments.latencyQuantileMs(0.5), 50.0, 50.0 / 256);
  EXPECT_NEAR(payments.latencyQuantileMs(0.9), 90.0, 90.0 / 256);
  EXPECT_NEAR(payments.latencyQuantileMs(0.99), 99.0, 99.0 / 256);
  EXPECT_DOUBLE_EQ(payments.latencyQuantileMs(1.0), 100.0);
}

TEST(MetricsRegistry, ServicesAreOrderedByName) {
  MetricsRegistry registry;
  for (const char* name : {"payments", "checkout", "frontend", "auth"})
    registry.observe(call(name, "v1", 200, kNoFlags, 0, kMillisecond));
  std::vector<std::string> names;
  for (const auto& [name, stats] : registry.services()) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"auth", "checkout", "frontend", "payments"}));
}

TEST(MetricsRegistry, WindowsSelectRequestsByEndTime) {
  MetricsRegistry registry;  // one-second slots
  // One request ending in each second 0..9; those ending in second 5 fail.
  for (int second = 0; second < 10; ++second) {
    const int status = second == 5 ? 503 : 200;
    registry.observe(call("payments", "v1", status, kNoFlags, second * kSecond, (second + 1) * kMillisecond));
  }
  // Starts in second 3 but ends in second 4.
  registry.observe(call("payments", "v1", 200, kNoFlags, 3 * kSecond + 900 * kMillisecond, 200 * kMillisecond));

  const RequestStats all = registry.serviceWindow("payments", 0, 10 * kSecond);
  EXPECT_EQ(all.requests(), 11u);
  EXPECT_EQ(all.failures(), 1u);

  const RequestStats fifth = registry.serviceWindow("payments", 5 * kSecond, 6 * kSecond);
  EXPECT_EQ(fifth.requests(), 1u);
  EXPECT_DOUBLE_EQ(*fifth.successRatePercent(), 0.0);
  EXPECT_EQ(fifth.latency().quantile(0.99), 6 * kMillisecond);

  const RequestStats fourth = registry.serviceWindow("payments", 4 * kSecond, 5 * kSecond);
  EXPECT_EQ(fourth.requests(), 2u);
  EXPECT_EQ(fourth.latency().max(), 200 * kMillisecond);

  // [0, 5s) excludes the failure; its p99 (rank 6 of 6) is the 200 ms request.
  const RequestStats before = registry.serviceWindow("payments", 0, 5 * kSecond);
  EXPECT_EQ(before.requests(), 6u);
  EXPECT_DOUBLE_EQ(*before.successRatePercent(), 100.0);
  EXPECT_EQ(before.latency().quantile(0.99), 200 * kMillisecond);

  // Unaligned bounds snap up to slot starts: [4.5s, 6.2s) covers slots 5 and 6.
  const RequestStats snapped =
      registry.serviceWindow("payments", 4 * kSecond + 500 * kMillisecond, 6 * kSecond + 200 * kMillisecond);
  EXPECT_EQ(snapped.requests(), 2u);

  EXPECT_EQ(registry.serviceWindow("payments", 20 * kSecond, 30 * kSecond).requests(), 0u);
  EXPECT_EQ(registry.serviceWindow("checkout", 0, 10 * kSecond).requests(), 0u);
}

TEST(MetricsRegistry, SubsetWindowsAndTheirSum) {
  MetricsRegistry registry(10 * kSecond);
  for (int i = 0; i < 9; ++i) registry.observe(call("checkout", "v1", 200, kNoFlags, i * kSecond, kMillisecond));
  registry.observe(call("checkout", "v2", 200, kNoFlags, kSecond, kMillisecond));
  registry.observe(call("checkout", "v2", 500, kNoFlags, 2 * kSecond, kMillisecond));
  registry.observe(call("checkout", "", 200, kNoFlags, 2 * kSecond, kMillisecond));
  registry.observe(call("checkoutx", "v1", 500, kNoFlags, 2 * kSecond, kMillisecond));
  registry.observe(call("checkout", "v2", 500, kNoFlags, 2 * kSecond, kMillisecond, "destination"));

  const RequestStats v2 = registry.subsetWindow("checkout", "v2", 0, 10 * kSecond);
  EXPECT_EQ(v2.requests(), 2u);
  EXPECT_DOUBLE_EQ(*v2.successRatePercent(), 50.0);
  EXPECT_EQ(registry.subsetWindow("checkout", "v1", 0, 10 * kSecond).requests(), 9u);
  EXPECT_EQ(registry.subsetWindow("checkout", "", 0, 10 * kSecond).requests(), 1u);
  EXPECT_EQ(registry.subsetWindow("checkout", "v3", 0, 10 * kSecond).requests(), 0u);

  const RequestStats all = registry.serviceWindow("checkout", 0, 10 * kSecond);
  EXPECT_EQ(all.requests(), 12u);  // not checkoutx, not the destination report
  EXPECT_EQ(all.failures(), 1u);
  EXPECT_EQ(registry.windowWidthNs(), 10 * kSecond);
}

TEST(MetricsRegistry, RejectsANonPositiveWindowWidth) {
  EXPECT_THROW(MetricsRegistry(0), std::invalid_argument);
  EXPECT_THROW(MetricsRegistry(-kSecond), std::invalid_argument);
}

TEST(MetricsSink, FeedsRequestEventsAndIgnoresTheRest) {
  MetricsRegistry registry;
  MetricsSink sink(registry);
  sink.emit(0, call("payments", "v1", 200, kNoFlags, 0, kMillisecond));
  sink.emit(0, BreakerEvent{"payments", "maxConnections", true, {}});
  EXPECT_EQ(registry.observedEvents(), 1u);
  ASSERT_NE(registry.service("payments"), nullptr);
  EXPECT_EQ(registry.service("payments")->requests(), 1u);
}

}  // namespace
}  // namespace meshproof::telemetry
