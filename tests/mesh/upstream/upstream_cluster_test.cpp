// The per-cluster owner: one deadline over the pool and the outlier sweep, and
// outlier detection absent unless the DestinationRule configures it.
#include "mesh/upstream/upstream_cluster.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace meshproof::upstream {
namespace {

config::DestinationRule rule(bool with_outlier_detection) {
  config::DestinationRule value;
  value.service = "payments";
  value.connection_pool.tcp.connect_timeout = 3 * kSecond;
  if (with_outlier_detection) {
    config::OutlierDetection outlier;
    outlier.max_ejection_percent = 50;
    value.outlier_detection = outlier;
  }
  return value;
}

TEST(UpstreamCluster, NextDeadlineIsTheEarlierOfConnectTimeoutAndSweep) {
  RecordingSink sink;
  UpstreamCluster cluster(rule(true), testing::makeHosts(2), sink, 0);
  EXPECT_EQ(cluster.nextDeadline(), 10 * kSecond);  // the first sweep
  cluster.pool().newRequest(0, kSecond);
  EXPECT_EQ(cluster.nextDeadline(), 4 * kSecond);  // connect timeout
  cluster.onDeadline(4 * kSecond);
  EXPECT_EQ(cluster.nextDeadline(), 10 * kSecond);
  PoolAction action;
  ASSERT_TRUE(cluster.pool().pollAction(action));
  ASSERT_TRUE(cluster.pool().pollAction(action));
  ASSERT_TRUE(cluster.pool().pollAction(action));
  EXPECT_EQ(std::get<Fail>(action).reason, PoolFailure::kConnectTimeout);
  cluster.recordLocalFailure(0, *outlierFailureFor(std::get<Fail>(action).reason), 4 * kSecond);
  EXPECT_EQ(cluster.outlierDetector()->consecutive5xx(0), 1);
}

TEST(UpstreamCluster, WithoutOutlierDetectionNothingIsEjected) {
  RecordingSink sink;
  UpstreamCluster cluster(rule(false), testing::makeHosts(2), sink, 0);
  EXPECT_EQ(cluster.outlierDetector(), nullptr);
  EXPECT_EQ(cluster.nextDeadline(), kNever);
  for (int i = 0; i < 10; ++i) cluster.recordResponse(0, 503, 0);
  EXPECT_FALSE(cluster.isEjected(0));
  EXPECT_TRUE(sink.entries.empty());
}

TEST(UpstreamCluster, EjectsThroughTheDetector) {
  RecordingSink sink;
  UpstreamCluster cluster(rule(true), testing::makeHosts(2), sink, 0);
  for (int i = 0; i < 5; ++i) cluster.recordResponse(1, 502, kSecond);
  EXPECT_TRUE(cluster.isEjected(1));
  EXPECT_FALSE(cluster.isEjected(0));
  EXPECT_TRUE(cluster.tryStartRetry(kSecond));
}

}  // namespace
}  // namespace meshproof::upstream
