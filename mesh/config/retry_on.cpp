// Parsing Istio's retryOn string into RetryOn flags and retriable status codes.
#include "mesh/config/retry_on.h"

#include <algorithm>
#include <charconv>

#include "mesh/config/edit_distance.h"

namespace meshproof::config {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool allDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Sets the flag a named token stands for; false when the name is unknown.
bool applyNamedToken(std::string_view token, RetryOn& retry_on) {
  if (token == "5xx") retry_on.on_5xx = true;
  else if (token == "gateway-error") retry_on.gateway_error = true;
  else if (token == "reset") retry_on.reset = true;
  else if (token == "connect-failure") retry_on.connect_failure = true;
  else if (token == "refused-stream") retry_on.refused_stream = true;
  else if (token == "retriable-status-codes") retry_on.retriable_status_codes = true;
  else if (token == "cancelled" || token == "unavailable" || token == "deadline-exceeded" ||
           token == "resource-exhausted") {
    // gRPC status conditions: meaningful only for gRPC responses.
  } else {
    return false;
  }
  return true;
}

std::string listTokens() {
  std::string out;
  for (const auto& token : knownRetryOnTokens()) out += token + ", ";
  return out + "or an HTTP status code";
}

}  // namespace

const std::vector<std::string>& knownRetryOnTokens() {
  static const std::vector<std::string> tokens{
      "5xx",       "gateway-error", "reset",           "connect-failure",   "refused-stream", "retriable-status-codes",
      "cancelled", "unavailable",   "deadline-exceeded", "resource-exhausted"};
  return tokens;
}

RetryOn parseRetryOn(std::string_view text) {
  RetryOn retry_on;
  if (trim(text).empty()) throw ValueError("must not be empty (use e.g. \"5xx,reset,connect-failure\")");
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view token = trim(text.substr(start, comma - start));
    start = comma + 1;
    if (token.empty()) throw ValueError("empty condition in \"" + std::string(text) + "\"");
    if (allDigits(token)) {
      int code = 0;
      std::from_chars(token.data(), token.data() + token.size(), code);
      if (token.size() != 3 || code < 100 || code > 599)
        throw ValueError("\"" + std::string(token) + "\" is not an HTTP status code (100-599)");
      retry_on.retriable_status_codes = true;
      if (std::find(retry_on.status_codes.begin(), retry_on.status_codes.end(), code) == retry_on.status_codes.end())
        retry_on.status_codes.push_back(code);
      continue;
    }
    if (applyNamedToken(token, retry_on)) continue;
    const std::string suggestion = didYouMean(token, knownRetryOnTokens());
    throw ValueError("unknown condition \"" + std::string(token) + "\"" +
                     (suggestion.empty() ? "; known: " + listTokens() : suggestion));
  }
  return retry_on;
}

}  // namespace meshproof::config
