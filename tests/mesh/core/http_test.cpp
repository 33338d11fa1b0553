// Tests for header handling and Envoy response-flag names.
#include "mesh/core/http.h"

#include <gtest/gtest.h>

namespace meshproof {
namespace {

TEST(Headers, NamesAreCaseInsensitiveAndReplaced) {
  Headers h{{"X-User", "tester"}};
  ASSERT_NE(h.find("x-user"), nullptr);
  EXPECT_EQ(*h.find("x-user"), "tester");
  h.set("X-USER", "other");
  EXPECT_EQ(h.items().size(), 1u);
  EXPECT_EQ(*h.find("x-user"), "other");
  h.remove("x-User");
  EXPECT_EQ(h.find("x-user"), nullptr);
}

TEST(ResponseFlags, EnvoyNamesInFixedOrder) {
  EXPECT_EQ(responseFlagsToString(kNoFlags), "-");
  EXPECT_EQ(responseFlagsToString(kUpstreamOverflow), "UO");
  EXPECT_EQ(responseFlagsToString(kUpstreamRetryLimitExceeded | kNoHealthyUpstream), "UH,URX");
  EXPECT_EQ(responseFlagsToString(kDelayInjected | kFaultInjected), "DI,FI");
  EXPECT_EQ(responseFlagsToString(kRbacDenied), "RBAC");
  EXPECT_EQ(responseFlagsToString(kMtlsRejected), "UMTLS");
  EXPECT_EQ(responseFlagsToString(kNoRouteFound), "NR");
}

}  // namespace
}  // namespace meshproof
