// Retry admission: maxRetries as a breaker on outstanding retries, and Envoy's retry
// budget (max(percent x (active + pending requests), minRetryConcurrency)), which
// replaces maxRetries when configured.
#include <gtest/gtest.h>

#include "mesh/upstream/circuit_breakers.h"

namespace meshproof::upstream {
namespace {

config::RetryBudget budget(double percent, int min_retry_concurrency) {
  config::RetryBudget value;
  value.percent = percent;
  value.min_retry_concurrency = min_retry_concurrency;
  return value;
}

int admitted(CircuitBreakers& breakers, int attempts) {
  int count = 0;
  for (int i = 0; i < attempts; ++i) count += breakers.tryStartRetry(0) ? 1 : 0;
  return count;
}

TEST(RetryAdmission, BudgetOf20PercentWith50ActiveAllowsTenConcurrentRetries) {
  RecordingSink sink;
  CircuitBreakers breakers("payments", config::ConnectionPool{}, budget(20, 3), sink);
  for (int i = 0; i < 50; ++i) breakers.requestStarted();
  EXPECT_EQ(breakers.retryLimit(), 10);
  EXPECT_EQ(admitted(breakers, 10), 10);
  EXPECT_FALSE(breakers.tryStartRetry(kSecond));  // the 11th
  ASSERT_EQ(sink.entries.size(), 1u);
  EXPECT_EQ(sink.entries[0].t, kSecond);
  const auto opened = std::get<BreakerEvent>(sink.entries[0].event);
  EXPECT_EQ(opened.service, "payments");
  EXPECT_EQ(opened.threshold, "retryBudget");
  EXPECT_TRUE(opened.open);

  breakers.retryFinished(2 * kSecond);
  ASSERT_EQ(sink.entries.size(), 2u);
  EXPECT_FALSE(std::get<BreakerEvent>(sink.entries[1].event).open);
  EXPECT_EQ(std::get<BreakerEvent>(sink.entries[1].event).threshold, "retryBudget");
  EXPECT_TRUE(breakers.tryStartRetry(3 * kSecond));
}

TEST(RetryAdmission, BudgetCountsPendingRequestsAsActive) {
  RecordingSink sink;
  CircuitBreakers breakers("payments", config::ConnectionPool{}, budget(20, 3), sink);
  for (int i = 0; i < 40; ++i) breakers.requestStarted();
  for (int i = 0; i < 10; ++i) breakers.pendingAdded();
  EXPECT_EQ(breakers.retryLimit(), 10);
}

TEST(RetryAdmission, BudgetNeverGoesBelowMinRetryConcurrency) {
  RecordingSink sink;
  CircuitBreakers breakers("payments", config::ConnectionPool{}, budget(20, 3), sink);
  for (int i = 0; i < 5; ++i) breakers.requestStarted();
  EXPECT_EQ(admitted(breakers, 4), 3);
  CircuitBreakers idle("payments", config::ConnectionPool{}, budget(20, 3), sink);
  EXPECT_EQ(idle.retryLimit(), 3);
}

TEST(RetryAdmission, BudgetTruncatesLikeEnvoy) {
  // Envoy computes budget_percent / 100.0 * active and truncates: 0.29 * 100 is
  // 28.999999999999996 in doubles, so 28 retries, not 29.
  RecordingSink sink;
  CircuitBreakers breakers("payments", config::ConnectionPool{}, budget(29, 0), sink);
  for (int i = 0; i < 100; ++i) breakers.requestStarted();
  EXPECT_EQ(breakers.retryLimit(), 28);
}

TEST(RetryAdmission, BudgetReplacesMaxRetries) {
  RecordingSink sink;
  config::ConnectionPool limits;
  limits.http.max_retries = 1;
  CircuitBreakers breakers("payments", limits, budget(20, 3), sink);
  EXPECT_EQ(admitted(breakers, 5), 3);
}

TEST(RetryAdmission, MaxRetriesBoundsOutstandingRetries) {
  RecordingSink sink;
  config::ConnectionPool limits;
  limits.http.max_retries = 2;
  CircuitBreakers breakers("payments", limits, std::nullopt, sink);
  EXPECT_EQ(admitted(breakers, 3), 2);
  EXPECT_EQ(breakers.activeRetries(), 2);
  ASSERT_EQ(sink.all<BreakerEvent>().size(), 1u);
  EXPECT_EQ(sink.all<BreakerEvent>()[0].threshold, "maxRetries");
  EXPECT_FALSE(breakers.tryStartRetry(0));  // still open: no second open event
  EXPECT_EQ(sink.all<BreakerEvent>().size(), 1u);
  EXPECT_EQ(breakers.overflowCount(BreakerThreshold::kMaxRetries), 2u);

  breakers.retryFinished(kSecond);
  EXPECT_FALSE(breakers.isOpen());
  EXPECT_EQ(sink.all<BreakerEvent>().size(), 2u);
  EXPECT_TRUE(breakers.tryStartRetry(kSecond));
}

}  // namespace
}  // namespace meshproof::upstream
