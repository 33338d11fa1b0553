// HTTP messages in the live sidecar: Beast requests and responses as they travel,
// the core's view of a request (method, path, authority, lower-cased headers), the
// Envoy-like local replies the sidecar makes itself (503 no healthy upstream, 504
// upstream request timeout, 403 RBAC, ...), and the header that carries a local
// reply's response flags to the calling sidecar.
#pragma once
#include <boost/beast/http.hpp>
#include <string>

#include "mesh/core/http.h"

namespace meshproof::live {

namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;

// A local reply's response flags, for the calling sidecar ("RBAC", "UMTLS", Envoy's
// short names); the caller reports them, as the simulator carries them.
inline constexpr const char* kFlagsHeader = "x-meshproof-flags";

// Limits on what a sidecar reads (Envoy's defaults are 60 KiB of headers).
inline constexpr std::uint32_t kHeaderLimitBytes = 60 * 1024;
inline constexpr std::uint64_t kBodyLimitBytes = 4 * 1024 * 1024;

// The core's request: `authority` is the Host header without a port.
HttpRequest coreRequest(const Request& request);
// `request` with the core's headers (traceparent) written over its own.
void applyCoreHeaders(Request& request, const HttpRequest& core);

// A reply the sidecar makes itself, with Envoy's body text for the flags.
Response localReply(int status, ResponseFlags flags, unsigned version, bool keep_alive);

}  // namespace meshproof::live
