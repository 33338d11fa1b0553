// HTTP request/response values as the core sees them, and Envoy's response flags.
// Header names are stored lower-case (HTTP/2 style) so lookups are exact.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace meshproof {

struct Header {
  std::string name;   // lower-case
  std::string value;
};

class Headers {
 public:
  Headers() = default;
  Headers(std::initializer_list<Header> items);
  // Returns nullptr when absent. `name` must be lower-case.
  const std::string* find(std::string_view name) const;
  // Replaces an existing value or appends; lower-cases the name.
  void set(std::string_view name, std::string_view value);
  // The same, taking ownership of `value` (no copy of a long value).
  void setOwned(std::string_view name, std::string value);
  void remove(std::string_view name);
  const std::vector<Header>& items() const { return items_; }

 private:
  std::vector<Header> items_;
};

struct HttpRequest {
  std::string method = "GET";
  std::string path = "/";
  std::string authority;  // destination service name (Host header)
  Headers headers;
};

// Envoy's response flags (access-log %RESPONSE_FLAGS%), as a bit set.
enum ResponseFlag : std::uint32_t {
  kNoFlags = 0,
  kUpstreamConnectionFailure = 1u << 0,   // UF
  kUpstreamOverflow = 1u << 1,            // UO  circuit breaker
  kNoHealthyUpstream = 1u << 2,           // UH
  kUpstreamRetryLimitExceeded = 1u << 3,  // URX
  kUpstreamRequestTimeout = 1u << 4,      // UT
  kDelayInjected = 1u << 5,               // DI
  kFaultInjected = 1u << 6,               // FI
  kRbacDenied = 1u << 7,                  // RBAC  (Envoy: RBAC access denied)
  kMtlsRejected = 1u << 8,                // UMTLS meshproof: missing/invalid peer certificate
  kUpstreamConnectionTermination = 1u << 9,  // UC  reset by the upstream
  kUpstreamRemoteReset = 1u << 10,        // UR
  kLocalReset = 1u << 11,                 // LR
  kNoRouteFound = 1u << 12,               // NR  no route matched (404)
  kDownstreamConnectionTermination = 1u << 13,  // DC  the caller closed the connection first
};
using ResponseFlags = std::uint32_t;

// Envoy's short names, comma-separated in a fixed order; "-" when none (as Envoy logs).
std::string responseFlagsToString(ResponseFlags flags);
// Short name of one flag, e.g. "UO".
std::string_view responseFlagName(ResponseFlag flag);
// All single flags, in the order responseFlagsToString prints them.
const std::vector<ResponseFlag>& allResponseFlags();

}  // namespace meshproof
