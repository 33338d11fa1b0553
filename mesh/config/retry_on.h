// Istio's retries.retryOn: a comma-separated list of Envoy retry conditions
// ("5xx,reset,connect-failure") and HTTP status codes, which Istio turns into
// retriable status codes.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "mesh/config/model.h"
#include "mesh/config/value_error.h"

namespace meshproof::config {

// Every token retryOn accepts besides numeric status codes, in the order messages
// list them. The gRPC ones (cancelled, unavailable, deadline-exceeded,
// resource-exhausted) are accepted and have no effect on HTTP/1.1 traffic.
const std::vector<std::string>& knownRetryOnTokens();

// Parses the list. Throws ValueError (message: the offending token, the known
// tokens, and a did-you-mean suggestion) for an unknown token, an empty token or a
// status code outside 100-599. Numeric codes set retriable_status_codes and are
// appended to status_codes in file order, without repeats.
RetryOn parseRetryOn(std::string_view text);

}  // namespace meshproof::config
