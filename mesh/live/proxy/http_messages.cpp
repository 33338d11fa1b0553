// Between the sidecar's messages and the core's HttpRequest; local replies.
#include "mesh/live/proxy/http_messages.h"

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

HttpRequest coreRequest(const IncomingRequest& request) {
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

Response localReply(int status, ResponseFlags flags, unsigned version, bool keep_alive) {
  Response response;
  response.setStatusLine(static_cast<unsigned>(status), {}, version);
  response.addField(beast_http::field::server, "Server", "meshproof");
  response.addField(beast_http::field::content_type, "Content-Type", "text/plain");
  if (flags != kNoFlags) response.addField(beast_http::field::unknown, kFlagsHeader, responseFlagsToString(flags));
  response.body() = bodyFor(status, flags);
  response.setKeepAlive(keep_alive);
  return response;
}

}  // namespace meshproof::live
