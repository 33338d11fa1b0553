// Tests for the seeded, forkable Rng: reproducibility, independence of forks, and the
// moments of its own distributions.
#include "mesh/core/rng.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace meshproof {
namespace {

TEST(Rng, SameSeedSameStream) {
  Rng a(42), b(42);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.next(), b.next());
}

TEST(Rng, DifferentSeedDifferentStream) {
  Rng a(42), b(43);
  int equal = 0;
  for (int i = 0; i < 1000; ++i) equal += a.next() == b.next();
  EXPECT_EQ(equal, 0);
}

TEST(Rng, KnownFirstValuesPinTheAlgorithm) {
  // xoshiro256** seeded through SplitMix64 from 0: pinned so that a change of
  // algorithm (which would change every trace) is a deliberate decision.
  Rng r(0);
  const std::uint64_t first = r.next();
  Rng again(0);
  EXPECT_EQ(first, again.next());
  EXPECT_EQ(first, 0x99ec5f36cb75f2b4ULL);
}

TEST(Rng, ForkByNameIsStableAndDoesNotConsumeDraws) {
  Rng root(7);
  Rng lb1 = root.fork("payments-v1-0/lb");
  const std::uint64_t root_next = Rng(7).next();
  EXPECT_EQ(root.next(), root_next);  // forking did not advance the parent
  Rng lb2 = Rng(7).fork("payments-v1-0/lb");
  for (int i = 0; i < 100; ++i) ASSERT_EQ(lb1.next(), lb2.next());
  // Forking another name first changes nothing for this one.
  Rng root2(7);
  (void)root2.fork("a-new-service/lb");
  Rng lb3 = root2.fork("payments-v1-0/lb");
  EXPECT_EQ(lb3.next(), Rng(7).fork("payments-v1-0/lb").next());
  EXPECT_NE(Rng(7).fork("x").next(), Rng(7).fork("y").next());
}

TEST(Rng, BelowIsUniform) {
  Rng r(1);
  std::vector<int> counts(10, 0);
  const int n = 100000;
  for (int i = 0; i < n; ++i) counts[r.below(10)]++;
  for (int c : counts) EXPECT_NEAR(c, n / 10, n / 10 * 0.05);
}

TEST(Rng, Uniform01InRange) {
  Rng r(2);
  double sum = 0;
  for (int i = 0; i < 100000; ++i) {
    const double u = r.uniform01();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / 100000, 0.5, 0.005);
}

TEST(Rng, ExponentialMean) {
  Rng r(3);
  double sum = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) sum += r.exponential(5.0);
  EXPECT_NEAR(sum / n, 5.0, 0.05);
}

TEST(Rng, NormalMoments) {
  Rng r(4);
  double sum = 0, sq = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double x = r.normal();
    sum += x;
    sq += x * x;
  }
  EXPECT_NEAR(sum / n, 0.0, 0.01);
  EXPECT_NEAR(sq / n, 1.0, 0.01);
}

TEST(Rng, LognormalMedianIsExpMu) {
  Rng r(5);
  std::vector<double> xs;
  for (int i = 0; i < 100001; ++i) xs.push_back(r.lognormal(std::log(20.0), 0.5));
  std::nth_element(xs.begin(), xs.begin() + 50000, xs.end());
  EXPECT_NEAR(xs[50000], 20.0, 0.2);
}

TEST(Rng, ChancePercentEdges) {
  Rng r(6);
  int hits = 0;
  for (int i = 0; i < 100000; ++i) {
    ASSERT_FALSE(r.chancePercent(0));
    ASSERT_TRUE(r.chancePercent(100));
    hits += r.chancePercent(10);
  }
  EXPECT_NEAR(hits, 10000, 500);
}

}  // namespace
}  // namespace meshproof
