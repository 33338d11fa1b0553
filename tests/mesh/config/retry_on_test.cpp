// retryOn tokens map to the right flags; status codes follow Istio; unknown tokens
// fail with a suggestion.
#include <gtest/gtest.h>

#include "mesh/config/retry_on.h"

namespace meshproof::config {
namespace {

std::string retryOnError(std::string_view text) {
  try {
    (void)parseRetryOn(text);
  } catch (const ValueError& error) {
    return error.what();
  }
  return "(parsed)";
}

TEST(RetryOn, NamedTokensSetTheirFlags) {
  const RetryOn on = parseRetryOn("5xx, gateway-error,reset ,connect-failure,refused-stream");
  EXPECT_TRUE(on.on_5xx);
  EXPECT_TRUE(on.gateway_error);
  EXPECT_TRUE(on.reset);
  EXPECT_TRUE(on.connect_failure);
  EXPECT_TRUE(on.refused_stream);
  EXPECT_FALSE(on.retriable_status_codes);
  EXPECT_TRUE(on.status_codes.empty());
}

TEST(RetryOn, StatusCodesImplyRetriableStatusCodes) {
  const RetryOn on = parseRetryOn("connect-failure,503,409,503");
  EXPECT_TRUE(on.connect_failure);
  EXPECT_TRUE(on.retriable_status_codes);
  EXPECT_EQ(on.status_codes, (std::vector<int>{503, 409}));
}

TEST(RetryOn, GrpcTokensAreKnownAndInertForHttp) {
  const RetryOn on = parseRetryOn("cancelled,unavailable,deadline-exceeded,resource-exhausted");
  EXPECT_EQ(on, RetryOn{});
}

TEST(RetryOn, Errors) {
  EXPECT_EQ(retryOnError("5xx,rest"), "unknown condition \"rest\"; did you mean 'reset'?");
  EXPECT_EQ(retryOnError("retriable-4xx"),
            "unknown condition \"retriable-4xx\"; known: 5xx, gateway-error, reset, connect-failure, refused-stream, "
            "retriable-status-codes, cancelled, unavailable, deadline-exceeded, resource-exhausted, or an HTTP status "
            "code");
  EXPECT_EQ(retryOnError("5xx,,reset"), "empty condition in \"5xx,,reset\"");
  EXPECT_EQ(retryOnError(""), "must not be empty (use e.g. \"5xx,reset,connect-failure\")");
  EXPECT_EQ(retryOnError("600"), "\"600\" is not an HTTP status code (100-599)");
  EXPECT_EQ(retryOnError("0503"), "\"0503\" is not an HTTP status code (100-599)");
}

}  // namespace
}  // namespace meshproof::config
