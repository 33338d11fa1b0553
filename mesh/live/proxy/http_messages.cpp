// Between Beast messages and the core's HttpRequest; local replies.
#include "mesh/live/proxy/http_messages.h"

#include <algorithm>
#include <cctype>

namespace meshproof::live {
namespace {

// Envoy's local reply bodies.
std::string bodyFor(int status, ResponseFlags flags) {
  if (flags & kNoHealthyUpstream) return "no healthy upstream";
  if (flags & kUpstreamOverflow) return "upstream connect error or disconnect/reset before headers. reset reason: overflow";
  if (flags & kUpstreamRequestTimeout) return "upstream request timeout";
  if (flags & kMtlsRejected) return "upstream connect error or disconnect/reset before headers. reset reason: TLS error";
  if (flags & kUpstreamConnectionFailure)
    return "upstream connect error or disconnect/reset before headers. reset reason: connection failure";
  if (flags & (kUpstreamConnectionTermination | kUpstreamRemoteReset))
    return "upstream connect error or disconnect/reset before headers. reset reason: connection termination";
  if (flags & kRbacDenied) return "RBAC: access denied";
  if (flags & kNoRouteFound) return "";
  if (flags & kFaultInjected) return "fault filter abort";
  return std::string(beast_http::obsolete_reason(static_cast<beast_http::status>(status)));
}

}  // namespace

HttpRequest coreRequest(const Request& request) {
  HttpRequest core;
  core.method = std::string(request.method_string());
  core.path = std::string(request.target());
  std::string host(request[beast_http::field::host]);
  if (auto colon = host.rfind(':'); colon != std::string::npos && host.find(']') == std::string::npos)
    host.resize(colon);
  core.authority = std::move(host);
  for (const auto& field : request) core.headers.set(field.name_string(), field.value());  // set() lower-cases
  return core;
}

void applyCoreHeaders(Request& request, const HttpRequest& core) {
  if (const std::string* tp = core.headers.find("traceparent")) request.set("traceparent", *tp);
}

Response localReply(int status, ResponseFlags flags, unsigned version, bool keep_alive) {
  Response response{static_cast<beast_http::status>(status), version};
  response.set(beast_http::field::server, "meshproof");
  response.set(beast_http::field::content_type, "text/plain");
  if (flags != kNoFlags) response.set(kFlagsHeader, responseFlagsToString(flags));
  response.body() = bodyFor(status, flags);
  response.keep_alive(keep_alive);
  response.prepare_payload();
  return response;
}

}  // namespace meshproof::live
