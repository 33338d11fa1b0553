// Istio's value matching: exact, prefix "abc*" (matches "abc" itself), suffix "*abc",
// presence "*" (non-empty), and a "*" elsewhere taken literally
// (istio.io/docs/reference/config/security/authorization-policy, "Value matching").
#include "mesh/security/istio_string_match.h"

#include <gtest/gtest.h>

namespace meshproof::security {
namespace {

using Kind = IstioStringMatch::Kind;

TEST(IstioStringMatch, Exact) {
  const IstioStringMatch m("/pay");
  EXPECT_EQ(m.kind(), Kind::kExact);
  EXPECT_TRUE(m.matches("/pay"));
  EXPECT_FALSE(m.matches("/pay/1"));
  EXPECT_FALSE(m.matches("/Pay"));
  EXPECT_FALSE(m.matches(""));
}

TEST(IstioStringMatch, PrefixIncludesTheBareValue) {
  const IstioStringMatch m("abc*");
  EXPECT_EQ(m.kind(), Kind::kPrefix);
  EXPECT_EQ(m.literal(), "abc");
  EXPECT_TRUE(m.matches("abc"));
  EXPECT_TRUE(m.matches("abcd"));
  EXPECT_FALSE(m.matches("ab"));
  EXPECT_FALSE(m.matches("xabc"));
}

TEST(IstioStringMatch, Suffix) {
  const IstioStringMatch m("*abc");
  EXPECT_EQ(m.kind(), Kind::kSuffix);
  EXPECT_TRUE(m.matches("abc"));
  EXPECT_TRUE(m.matches("xyzabc"));
  EXPECT_FALSE(m.matches("abcd"));
}

TEST(IstioStringMatch, StarAloneIsPresence) {
  const IstioStringMatch m("*");
  EXPECT_EQ(m.kind(), Kind::kPresence);
  EXPECT_TRUE(m.matches("x"));
  EXPECT_FALSE(m.matches(""));
}

TEST(IstioStringMatch, InnerStarIsLiteral) {
  const IstioStringMatch m("/a*b");
  EXPECT_EQ(m.kind(), Kind::kExact);
  EXPECT_TRUE(m.matches("/a*b"));
  EXPECT_FALSE(m.matches("/axb"));
}

TEST(IstioStringMatch, LeadingStarWinsOverTrailingStar) {
  // Istio checks the leading "*" before the trailing one: "*abc*" is suffix "abc*".
  const IstioStringMatch m("*abc*");
  EXPECT_EQ(m.kind(), Kind::kSuffix);
  EXPECT_TRUE(m.matches("xabc*"));
  EXPECT_FALSE(m.matches("xabcx"));
}

TEST(IstioStringMatchList, ValuesAreOred) {
  const IstioStringMatchList list({"GET", "HEAD"});
  EXPECT_TRUE(list.anyMatches("GET"));
  EXPECT_TRUE(list.anyMatches("HEAD"));
  EXPECT_FALSE(list.anyMatches("POST"));
  EXPECT_FALSE(list.empty());
  EXPECT_TRUE(IstioStringMatchList().empty());
  EXPECT_FALSE(IstioStringMatchList().anyMatches("GET"));
}

}  // namespace
}  // namespace meshproof::security
