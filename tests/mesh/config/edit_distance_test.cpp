// Edit distance values and the closeness rule for "did you mean" suggestions.
#include <gtest/gtest.h>

#include "mesh/config/edit_distance.h"

namespace meshproof::config {
namespace {

TEST(EditDistance, KnownValues) {
  EXPECT_EQ(editDistance("", ""), 0u);
  EXPECT_EQ(editDistance("abc", ""), 3u);
  EXPECT_EQ(editDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(editDistance("loadBalancr", "loadBalancer"), 1u);
  EXPECT_EQ(editDistance("laodBalancer", "loadBalancer"), 1u);  // one transposition
  EXPECT_EQ(editDistance("flaw", "lawn"), 2u);
}

TEST(ClosestMatch, SuggestsOnlyCloseCandidates) {
  const std::vector<std::string> fields{"service", "loadBalancer", "connectionPool", "outlierDetection"};
  EXPECT_EQ(closestMatch("loadBalancr", fields), "loadBalancer");
  EXPECT_EQ(closestMatch("outlierDetecton", fields), "outlierDetection");
  EXPECT_EQ(closestMatch("servce", fields), "service");
  EXPECT_EQ(closestMatch("timeout", fields), std::nullopt);
  EXPECT_EQ(closestMatch("pool", fields), std::nullopt);
  EXPECT_EQ(closestMatch("service", fields), std::nullopt);  // not a typo
}

TEST(ClosestMatch, ShortWordsAllowOneEdit) {
  const std::vector<std::string> fields{"to", "from"};
  EXPECT_EQ(closestMatch("tp", fields), "to");
  EXPECT_EQ(closestMatch("xy", fields), std::nullopt);
}

TEST(ClosestMatch, CaseOnlyDifferenceWins) {
  const std::vector<std::string> modes{"STRICT", "PERMISSIVE", "DISABLE"};
  EXPECT_EQ(closestMatch("strict", modes), "STRICT");
  EXPECT_EQ(didYouMean("Disable", modes), "; did you mean 'DISABLE'?");
  EXPECT_EQ(didYouMean("NONE", modes), "");
}

}  // namespace
}  // namespace meshproof::config
