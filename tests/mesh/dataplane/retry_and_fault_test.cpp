// Tests for retry conditions (Envoy x-envoy-retry-on), jittered backoff bounds and
// the fault filter's percentages.
#include <gtest/gtest.h>

#include <algorithm>

#include "mesh/dataplane/fault_filter.h"
#include "mesh/dataplane/retry_policy.h"

namespace meshproof::dataplane {
namespace {

config::RetryOn on(std::initializer_list<const char*> tokens) {
  config::RetryOn r;
  for (std::string t : tokens) {
    if (t == "5xx") r.on_5xx = true;
    if (t == "gateway-error") r.gateway_error = true;
    if (t == "reset") r.reset = true;
    if (t == "connect-failure") r.connect_failure = true;
    if (t == "503") {
      r.retriable_status_codes = true;
      r.status_codes.push_back(503);
    }
  }
  return r;
}

using O = AttemptOutcome;

TEST(RetryOn, FiveXxCoversEveryServerErrorAndEveryReset) {
  const auto r = on({"5xx"});
  EXPECT_TRUE(isRetriable(r, O::response(500)));
  EXPECT_TRUE(isRetriable(r, O::response(503)));
  EXPECT_FALSE(isRetriable(r, O::response(404)));
  EXPECT_FALSE(isRetriable(r, O::response(200)));
  EXPECT_TRUE(isRetriable(r, O::reset()));
  EXPECT_TRUE(isRetriable(r, O::connectFailure()));
  EXPECT_TRUE(isRetriable(r, O::perTryTimeout()));
}

TEST(RetryOn, GatewayErrorIsOnly502To504) {
  const auto r = on({"gateway-error"});
  EXPECT_FALSE(isRetriable(r, O::response(500)));
  EXPECT_TRUE(isRetriable(r, O::response(502)));
  EXPECT_TRUE(isRetriable(r, O::response(503)));
  EXPECT_TRUE(isRetriable(r, O::response(504)));
  EXPECT_TRUE(isRetriable(r, O::perTryTimeout()));
}

TEST(RetryOn, ConnectFailureOnlyRetriesConnectFailures) {
  const auto r = on({"connect-failure"});
  EXPECT_TRUE(isRetriable(r, O::connectFailure()));
  EXPECT_FALSE(isRetriable(r, O::reset()));
  EXPECT_FALSE(isRetriable(r, O::response(503)));
  EXPECT_FALSE(isRetriable(r, O::perTryTimeout()));
}

TEST(RetryOn, ResetCoversConnectFailureButNotTimeoutsOrStatuses) {
  const auto r = on({"reset"});
  EXPECT_TRUE(isRetriable(r, O::reset()));
  EXPECT_TRUE(isRetriable(r, O::connectFailure()));
  EXPECT_FALSE(isRetriable(r, O::perTryTimeout()));
  EXPECT_FALSE(isRetriable(r, O::response(500)));
}

TEST(RetryOn, RetriableStatusCodes) {
  const auto r = on({"503"});
  EXPECT_TRUE(isRetriable(r, O::response(503)));
  EXPECT_FALSE(isRetriable(r, O::response(500)));
}

TEST(RetryOn, FinalStatusOfLocalOutcomes) {
  EXPECT_EQ(O::connectFailure().finalStatus(), 503);
  EXPECT_EQ(O::reset().finalStatus(), 503);
  EXPECT_EQ(O::perTryTimeout().finalStatus(), 504);
  EXPECT_EQ(O::response(418).finalStatus(), 418);
}

TEST(RetryBackoff, FullJitterWithinEnvoyBounds) {
  // Envoy docs: with base 25ms the 1st retry waits 0-24ms, the 2nd 0-74ms, the 3rd
  // 0-174ms; never more than max (10 x base).
  Rng rng(11);
  std::vector<DurationNs> max_seen(5, 0);
  for (int trial = 0; trial < 20000; ++trial) {
    RetryBackoff b(25 * kMillisecond, 250 * kMillisecond);
    for (int i = 0; i < 5; ++i) max_seen[i] = std::max(max_seen[i], b.next(rng));
  }
  EXPECT_LT(max_seen[0], 25 * kMillisecond);
  EXPECT_GT(max_seen[0], 24 * kMillisecond);
  EXPECT_LT(max_seen[1], 75 * kMillisecond);
  EXPECT_GT(max_seen[1], 73 * kMillisecond);
  EXPECT_LT(max_seen[2], 175 * kMillisecond);
  EXPECT_GT(max_seen[2], 170 * kMillisecond);
  EXPECT_EQ(max_seen[3], 250 * kMillisecond);  // 375ms ceiling capped at max
  EXPECT_EQ(max_seen[4], 250 * kMillisecond);
}

TEST(FaultFilter, PercentagesAndFlags) {
  config::FaultPolicy p;
  p.delay = config::FaultDelay{1 * kSecond, 10};
  p.abort = config::FaultAbort{503, 5};
  Rng rng(3);
  int delayed = 0, aborted = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const auto d = decideFault(p, rng);
    if (d.delay_ns) {
      ++delayed;
      EXPECT_EQ(d.delay_ns, kSecond);
      EXPECT_TRUE(d.flags() & kDelayInjected);
    }
    if (d.abort_status) {
      ++aborted;
      EXPECT_EQ(d.abort_status, 503);
      EXPECT_TRUE(d.flags() & kFaultInjected);
    }
  }
  EXPECT_NEAR(100.0 * delayed / n, 10.0, 0.5);
  EXPECT_NEAR(100.0 * aborted / n, 5.0, 0.5);
  EXPECT_EQ(decideFault(config::FaultPolicy{}, rng).flags(), kNoFlags);
}

}  // namespace
}  // namespace meshproof::dataplane
