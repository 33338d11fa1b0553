// Between the sidecar's messages and the core's HttpRequest; local replies.
#include "mesh/live/proxy/http_messages.h"

namespace meshproof::live {

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
  response.body() = localReplyBody(status, flags);
  response.setKeepAlive(keep_alive);
  return response;
}

}  // namespace meshproof::live
